using System.CommandLine;
using System.Globalization;
using Berth.Host.Orchestration;
using Berth.Runtime.Images;

namespace Berth.Host;

/// <summary>
/// <c>image export SERVICE -o PATH</c>: a <c>project</c> service's build output as an OCI image (see
/// <see cref="DotnetImage"/>), written as an OCI layout or an OCI archive, over the base made from this host's .NET
/// runtime or over <c>--base</c>.
/// </summary>
internal static class ImageExportCommand
{
    /// <summary>Adds <c>export</c> to the <c>image</c> command (whose <c>--state-directory</c> it uses for <c>--base</c>).</summary>
    public static Command AddTo(Command image, StackDescriptor descriptor)
    {
        var state = image.Options.OfType<Option<string>>().Single(o => o.Name == "--state-directory");
        var service = new Argument<string>("service") { Description = "The project service to export." };
        var output = new Option<string>("--output", "-o") { Description = "The OCI layout directory (made, or added to) or the archive file to write.", Required = true };
        var format = new Option<string?>("--format") { Description = "oci (a layout directory) or oci-archive (a tar); default: oci-archive when the output ends in .tar, else oci." };
        format.AcceptOnlyFromAmong("oci", "oci-archive");
        var tag = new Option<string>("--tag") { Description = "The image's tag (org.opencontainers.image.ref.name).", DefaultValueFactory = _ => "latest" };
        var imageBase = new Option<string?>("--base")
        {
            Description = "An image with a .NET runtime to build over: oci:PATH[:TAG], oci-archive:PATH or a name in the store; default: a base made of this host's .NET runtime and libraries.",
        };
        var environment = new Option<string?>("--environment", "-e")
        {
            Description = $"The environment whose port the image exposes ({string.Join(", ", descriptor.Environments.Select(e => e.Name))}); default: DOTNET_ENVIRONMENT, else {descriptor.DefaultEnvironment}.",
        };

        var command = new Command("export", "Build an OCI image of a project service: its build output at /app over a base, run as dotnet /app/ENTRY.dll by user 1654.")
        {
            service, output, format, tag, imageBase, environment,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            StackDefinition stack;
            ServiceDefinition definition;
            try
            {
                stack = descriptor.Resolve(descriptor.SelectEnvironment(result.GetValue(environment), System.Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")));
                definition = stack.GetService(result.GetValue(service)!);
            }
            catch (Exception e) when (e is ArgumentException or KeyNotFoundException)
            {
                await error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return 2;
            }

            try
            {
                var written = await ExportAsync(
                    stack, definition, Path.GetFullPath(result.GetValue(output)!), result.GetValue(format), result.GetValue(tag)!, result.GetValue(imageBase),
                    () => new ImageStore(Path.GetFullPath(result.GetValue(state)!)), cancellationToken).ConfigureAwait(false);
                await result.InvocationConfiguration.Output.WriteLineAsync(written).ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is ServiceStartException or ImageFormatException or ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return 1;
            }
        });
        image.Subcommands.Add(command);
        return image;
    }

    private static async Task<string> ExportAsync(
        StackDefinition stack, ServiceDefinition service, string output, string? format, string tag, string? baseReference, Func<ImageStore> store, CancellationToken cancellationToken)
    {
        if (service.Project is not { } project)
            throw new ServiceStartException(service.Name, $"it runs the image '{service.Image}'; only a project service is built into an image");
        var projectPath = stack.ResolvePath(project);
        var builds = ServiceBuildManifest.Read(Path.Combine(AppContext.BaseDirectory, ServiceBuildManifest.FileName));
        var build = builds.Find(projectPath) ?? throw new ServiceStartException(
            service.Name, $"the build output of its project {projectPath} is not listed in {builds.Source}; build the stack project first (dotnet build)");

        var below = baseReference is null ? null : await BaseAsync(stack, baseReference, store(), cancellationToken).ConfigureAwait(false);
        var layers = DotnetImage.Layers(build.OutputDirectory, build.EntryAssembly, withBase: below is not null);
        var config = DotnetImage.RunConfig(build.EntryAssembly, service.Port, service.Protocol == ServiceProtocol.Http);
        var archive = (format ?? (output.EndsWith(".tar", StringComparison.Ordinal) ? "oci-archive" : "oci")) == "oci-archive";
        var manifest = archive
            ? await OciImageWriter.WriteArchiveAsync(output, tag, below, layers, config, cancellationToken).ConfigureAwait(false)
            : await OciImageWriter.WriteLayoutAsync(output, tag, below, layers, config, cancellationToken).ConfigureAwait(false);
        var reference = archive ? $"oci-archive:{output}" : $"oci:{output}:{tag}";
        return string.Create(CultureInfo.InvariantCulture, $"Wrote {reference} ({manifest.Digest}) over {below?.Name ?? "this host's .NET runtime"}.");
    }

    /// <summary>The base: an OCI layout or archive (imported into the store on the way), or a name the store has.</summary>
    private static async Task<ImageBase> BaseAsync(StackDefinition stack, string reference, ImageStore store, CancellationToken cancellationToken)
    {
        var image = ServiceImageSource.Parse(stack, reference) switch
        {
            ServiceImageSource.OciLayout layout => await OciLayoutImporter.ImportAsync(store, layout.Path, layout.Tag, layout.StoreName, cancellationToken: cancellationToken).ConfigureAwait(false),
            ServiceImageSource.OciArchive archive => await ImageArchiveImporter.ImportAsync(store, archive.Path, archive.StoreName, cancellationToken: cancellationToken).ConfigureAwait(false),
            var other => store.Find(other.StoreName) ?? throw new ArgumentException(
                $"--base {reference}: the store ({store.Directory}) has no image of that name; give oci:PATH[:TAG] or oci-archive:PATH, or a name image ls lists."),
        };
        return ImageBase.FromStore(store, image);
    }
}
