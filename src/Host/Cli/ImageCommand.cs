using System.CommandLine;
using System.Globalization;
using Berth.Runtime;
using Berth.Runtime.Images;

namespace Berth.Host;

/// <summary>
/// <c>image ls</c>, <c>image pull REFERENCE</c>, <c>image rm NAME</c>, <c>image prune</c>: the image store of the state directory (the one
/// <c>up</c> uses: <c>Berth__StateDirectory</c> when set, else <c>/run/berth</c>).
/// </summary>
internal static class ImageCommand
{
    public static Command Create()
    {
        var state = new Option<string>("--state-directory")
        {
            Description = "The state directory whose store to use; default: Berth__StateDirectory, else /run/berth.",
            DefaultValueFactory = _ => System.Environment.GetEnvironmentVariable("Berth__StateDirectory") is { Length: > 0 } value ? value : RuntimePaths.StateDirectory,
            Recursive = true,
        };
        ImageStore Store(ParseResult result) => new(Path.GetFullPath(result.GetValue(state)!));

        var list = new Command("ls", "List the images in the store: name, manifest digest, when stored.");
        list.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var problems = new List<string>();
            foreach (var record in Store(result).List(problems))
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{record.Name}\t{record.ManifestDigest[..19]}\t{record.Stored:yyyy-MM-dd HH:mm:ss}"));
            }

            foreach (var problem in problems)
                result.InvocationConfiguration.Error.WriteLine(problem);
            return 0;
        });

        var reference = new Argument<string>("reference") { Description = "A registry reference: redis:7, ghcr.io/org/app:1, localhost:5000/app@sha256:…" };
        var pull = new Command(
            "pull",
            "Pull an image from a registry into the store, even when the store has it (only missing blobs are downloaded). Credentials: those podman/skopeo/docker login stored ($REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json, ~/.docker/config.json).")
        {
            reference,
        };
        pull.SetAction((result, cancellationToken) => PullAsync(Store(result), result.GetValue(reference)!, result.InvocationConfiguration, cancellationToken));

        var name = new Argument<string>("name") { Description = "The image's name, as image ls shows it." };
        var remove = new Command("rm", "Forget an image's name; its layers go with the next prune unless a container or another name uses them.") { name };
        remove.SetAction(result =>
        {
            if (Store(result).Remove(result.GetValue(name)!))
                return 0;
            result.InvocationConfiguration.Error.WriteLine($"No image named '{result.GetValue(name)}' in the store; image ls lists them.");
            return 1;
        });

        var prune = new Command("prune", "Delete the blobs and unpacked layers that no image name and no container uses.");
        prune.SetAction(result =>
        {
            var store = Store(result);
            var console = result.InvocationConfiguration;
            var pruned = store.TryPrune();
            if (pruned is null)
            {
                console.Error.WriteLine("Waiting for the pulls, imports and starts using the image store to finish...");
                pruned = store.Prune();
            }

            foreach (var problem in pruned.Problems)
                console.Error.WriteLine(problem);
            console.Output.WriteLine(string.Create(
                CultureInfo.InvariantCulture, $"Deleted {pruned.Layers} layer(s) and {pruned.Blobs} blob(s), {pruned.BytesFreed / 1e6:0.0} MB."));
            return 0;
        });

        return new Command("image", "Manage the image store.") { state, list, pull, remove, prune };
    }

    private static async Task<int> PullAsync(ImageStore store, string text, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        try
        {
            var reference = ImageReference.Parse(text);
            using var client = new RegistryClient(new RegistryClientOptions { AuthFiles = RegistryAuthFiles.FromEnvironment() });
            var image = await client.PullAsync(store, reference, progress: new PrintedProgress(console.Output), cancellationToken: cancellationToken).ConfigureAwait(false);
            console.Output.WriteLine($"{image.Name}\t{image.ManifestDigest}");
            return 0;
        }
        catch (Exception e) when (e is ImageFormatException or RegistryException or IOException)
        {
            console.Error.WriteLine($"Cannot pull '{text}': {e.Message}");
            return 1;
        }
    }

    /// <summary>A line when a blob starts downloading, starts unpacking, and is ready.</summary>
    private sealed class PrintedProgress(TextWriter output) : IProgress<ImageProgress>
    {
        private readonly Dictionary<Digest, ImageProgressStage> _stages = [];

        public void Report(ImageProgress value)
        {
            lock (_stages)
            {
                if (_stages.TryGetValue(value.Blob, out var stage) && stage == value.Stage)
                    return;
                _stages[value.Blob] = value.Stage;
                var size = value.Total is { } total ? string.Create(CultureInfo.InvariantCulture, $" ({total / 1e6:0.0} MB)") : "";
                output.WriteLine(value.Stage switch
                {
                    ImageProgressStage.Download when value.Completed > 0 => $"{value.Blob.Hex[..12]}: resuming a download at {value.Completed} bytes{size}",
                    ImageProgressStage.Download => $"{value.Blob.Hex[..12]}: downloading{size}",
                    ImageProgressStage.Unpack => $"{value.Blob.Hex[..12]}: unpacking",
                    _ => $"{value.Blob.Hex[..12]}: ready",
                });
            }
        }
    }
}
