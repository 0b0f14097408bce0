using System.Globalization;
using Berth.Runtime.Filesystem;

namespace Berth.Runtime.Images;

/// <summary>
/// What a container made from an image runs, from the image's config and what the service overrides, as Compose
/// and Kubernetes do: a <c>command</c> replaces the image's <c>Entrypoint</c> (and drops its <c>Cmd</c>); <c>args</c>
/// replace its <c>Cmd</c>. The image's <c>Env</c> is the base the service's variables override; its <c>User</c> is
/// taken unless it is root (Berth never runs as root unless the service says so); its <c>WorkingDir</c> is the
/// working directory; its lowest exposed TCP port is the service's default port.
/// </summary>
/// <param name="Executable">The program as the container sees it: absolute, found on the image's <c>PATH</c> in its layers.</param>
public sealed record ImageProcess(
    string Executable,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Environment,
    string? User,
    string WorkingDirectory,
    int? DefaultPort)
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <exception cref="ImageFormatException">Nothing to run, or the program is not in the image.</exception>
    public static ImageProcess Resolve(StoredImage image, IReadOnlyList<string> command, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(image);
        var run = image.RunConfig;
        IReadOnlyList<string> argv = command.Count > 0
            ? [.. command, .. args]
            : [.. run.Entrypoint ?? [], .. args.Count > 0 ? args : run.Cmd ?? []];
        if (argv.Count == 0)
            throw new ImageFormatException($"The image {image.Name} has neither Entrypoint nor Cmd; set command = [\"/path/to/program\", ...].");

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in run.Env ?? [])
        {
            var equals = variable.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
                environment[variable[..equals]] = variable[(equals + 1)..];
        }

        var searchPath = environment.GetValueOrDefault("PATH") ?? DefaultPath;
        var executable = Find(image.LayerDirectories, argv[0], searchPath) ?? throw new ImageFormatException(
            $"The program '{argv[0]}' is not in the image {image.Name} (looked {(argv[0].Contains('/', StringComparison.Ordinal) ? "at that path" : $"in {searchPath}")}).");

        return new ImageProcess(
            executable,
            [.. argv.Skip(1)],
            environment,
            IsRoot(run.User) ? null : run.User,
            string.IsNullOrEmpty(run.WorkingDir) ? "/" : run.WorkingDir,
            DefaultPortOf(run));
    }

    /// <summary>A path with a slash is taken as it is (relative to the working directory if not absolute); a bare name is searched on <paramref name="searchPath"/>.</summary>
    private static string? Find(IReadOnlyList<string> layers, string program, string searchPath)
    {
        if (program.StartsWith('/'))
            return program;
        if (program.Contains('/', StringComparison.Ordinal))
            return null;
        return searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Where(d => d.StartsWith('/'))
            .Select(d => d.TrimEnd('/') + "/" + program)
            .FirstOrDefault(p => IsFile(layers, p));
    }

    /// <summary>Whether the overlay of <paramref name="layers"/> shows something other than a directory at <paramref name="path"/>.</summary>
    private static bool IsFile(IReadOnlyList<string> layers, string path)
    {
        var resolved = ContainerPath.ResolveInLayers(layers, path);
        foreach (var layer in layers)
        {
            var hostPath = ContainerPath.Join(layer, resolved);
            var info = new FileInfo(hostPath);
            if (Directory.Exists(hostPath))
                return false;
            if (info.Exists)
                return info.Length > 0 || (info.UnixFileMode & UnixFileMode.UserExecute) != 0;
            if (info.LinkTarget is not null)
                return true;
        }

        return false;
    }

    private static bool IsRoot(string? user) =>
        string.IsNullOrEmpty(user) || user.Split(':')[0] is "0" or "root";

    /// <summary>The lowest TCP port the image exposes, or null.</summary>
    public static int? DefaultPortOf(OciRunConfig run) =>
        run.ExposedPorts?.Keys
            .Select(k => k.Split('/'))
            .Where(p => p.Length == 1 || p[1] == "tcp")
            .Select(p => int.TryParse(p[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536 ? port : (int?)null)
            .Where(p => p is not null)
            .Min();
}
