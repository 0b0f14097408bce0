using System.Globalization;
using System.Text;
using System.Text.Json;
using Berth.Runtime.Filesystem;

namespace Berth.Runtime.Images;

/// <summary>
/// An OCI image of a .NET app's build output, as the .NET template runs it: the output at <c>/app</c> (one layer),
/// started with <c>dotnet /app/ENTRY.dll</c> as a non-root user. Below it, either a given base (an image with a .NET
/// runtime, <c>mcr.microsoft.com/dotnet/aspnet</c> say) or, by default, a base layer made of what the template
/// mounts from the host: the .NET installation's host and the shared frameworks the app names, the system
/// libraries the runtime loads (at their host paths, with the symbolic links that lead there) and a minimal
/// <c>/etc</c>. That image needs no base at all and runs wherever the host's libraries would.
/// </summary>
public static class DotnetImage
{
    /// <summary>The user the app runs as: <c>app</c>, 1654, as in Microsoft's .NET images (<c>APP_UID</c>).</summary>
    public static readonly ContainerUser AppUser = new("app", 1654, 1654);

    /// <summary>Where the build output goes, as in the .NET template.</summary>
    public const string AppDirectory = DotnetRootFilesystem.AppMountPoint;

    private const string SearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// Name resolution for an image that runs elsewhere (Docker, Kubernetes): files, then DNS (built into glibc 2.34
    /// and later, and musl), unlike a Berth container's files only.
    /// </summary>
    private const string NsswitchConf = "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\nprotocols: files\nservices: files\n";

    /// <summary>The layers: the host-made base (unless <paramref name="withBase"/>), then the app.</summary>
    public static IReadOnlyList<ImageLayerBuilder> Layers(string appDirectory, string entryAssembly, bool withBase) =>
        withBase ? [AppLayer(appDirectory)] : [HostRuntimeLayer(appDirectory, entryAssembly), AppLayer(appDirectory)];

    /// <summary>The build output at <c>/app</c>, owned by root: the app can read it, not change it.</summary>
    public static ImageLayerBuilder AppLayer(string appDirectory)
    {
        if (!Directory.Exists(appDirectory))
            throw new ArgumentException($"The app directory {appDirectory} does not exist; build the project first.", nameof(appDirectory));
        return new ImageLayerBuilder().AddHostTree(appDirectory, AppDirectory);
    }

    /// <summary>
    /// The base made from this host: the <c>dotnet</c> host (and <c>/usr/bin/dotnet</c>), <c>host/fxr</c>, the shared
    /// frameworks the app's <c>runtimeconfig.json</c> names, the system libraries (<see cref="SystemLibraries"/>), CA
    /// certificates where OpenSSL looks for them, and <c>/etc/passwd</c>, <c>group</c>, <c>nsswitch.conf</c> and a
    /// <c>/tmp</c> (1777, the app user's home).
    /// </summary>
    /// <exception cref="ArgumentException">The app has no runtimeconfig.json naming a shared framework, or one the host lacks.</exception>
    public static ImageLayerBuilder HostRuntimeLayer(string appDirectory, string entryAssembly)
    {
        var dotnetRoot = DotnetInstallation.Locate();
        var layer = new ImageLayerBuilder();
        layer.AddHostPath(Path.Combine(dotnetRoot, "dotnet")).AddHostPath(Path.Combine(dotnetRoot, "host"));
        foreach (var framework in Frameworks(appDirectory, entryAssembly).Prepend("Microsoft.NETCore.App").Distinct(StringComparer.Ordinal))
        {
            var directory = Path.Combine(dotnetRoot, "shared", framework);
            if (!Directory.Exists(directory))
                throw new ArgumentException($"The app needs the shared framework {framework}, which the .NET installation {dotnetRoot} lacks; install it, or give a base image that has it.");
            layer.AddHostPath(directory);
        }

        foreach (var notice in new[] { "LICENSE.txt", "ThirdPartyNotices.txt" }.Select(n => Path.Combine(dotnetRoot, n)).Where(File.Exists))
            layer.AddHostPath(notice);
        layer.AddSymbolicLink(DotnetRootFilesystem.DotnetLink, Path.Combine(dotnetRoot, "dotnet"));
        foreach (var library in SystemLibraries.LocateFiles(dotnetRoot))
            layer.AddHostPath(library);

        // OpenSSL's default CA file on Debian and Ubuntu (a link to /etc/ssl/certs/ca-certificates.crt): TLS clients work.
        if (File.Exists("/usr/lib/ssl/cert.pem"))
            layer.AddHostPath("/usr/lib/ssl/cert.pem");

        layer.AddFile("/etc/passwd", Encoding.UTF8.GetBytes(EtcFiles.Passwd(AppUser)))
            .AddFile("/etc/group", Encoding.UTF8.GetBytes(EtcFiles.Group(AppUser)))
            .AddFile("/etc/nsswitch.conf", Encoding.UTF8.GetBytes(NsswitchConf))
            .AddDirectory("/tmp", (UnixFileMode)0b1_111_111_111);
        return layer;
    }

    /// <summary>
    /// How to run it: <c>dotnet /app/ENTRY.dll</c> in <c>/app</c> as <see cref="AppUser"/>; the port exposed and, as
    /// Berth gives it, in <c>PORT</c> (and <c>ASPNETCORE_HTTP_PORTS</c> for HTTP) so the app listens there.
    /// </summary>
    public static OciRunConfig RunConfig(string entryAssembly, int? port, bool http)
    {
        ArgumentException.ThrowIfNullOrEmpty(entryAssembly);
        var environment = new List<string>
        {
            "PATH=" + SearchPath,
            "DOTNET_RUNNING_IN_CONTAINER=true",
            string.Create(CultureInfo.InvariantCulture, $"APP_UID={AppUser.Uid}"),
        };
        if (port is { } value)
        {
            environment.Add(string.Create(CultureInfo.InvariantCulture, $"PORT={value}"));
            if (http)
                environment.Add(string.Create(CultureInfo.InvariantCulture, $"ASPNETCORE_HTTP_PORTS={value}"));
        }

        return new OciRunConfig
        {
            User = AppUser.Uid.ToString(CultureInfo.InvariantCulture),
            ExposedPorts = port is { } exposed ? new Dictionary<string, EmptyObject> { [string.Create(CultureInfo.InvariantCulture, $"{exposed}/tcp")] = new() } : null,
            Env = environment,
            Entrypoint = ["dotnet", $"{AppDirectory}/{entryAssembly}"],
            Cmd = [],
            WorkingDir = AppDirectory,
        };
    }

    /// <summary>The shared frameworks <c>ENTRY.runtimeconfig.json</c> names (<c>framework</c> or <c>frameworks</c>).</summary>
    private static IEnumerable<string> Frameworks(string appDirectory, string entryAssembly)
    {
        var path = Path.Combine(appDirectory, Path.ChangeExtension(entryAssembly, ".runtimeconfig.json"));
        if (!File.Exists(path))
            throw new ArgumentException($"{path} is missing: the app is not framework-dependent (a self-contained app needs no .NET installation, and a library is not an app).");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var options = document.RootElement.GetProperty("runtimeOptions");
        var names = new List<string>();
        if (options.TryGetProperty("framework", out var single) && single.TryGetProperty("name", out var singleName))
            names.Add(singleName.GetString()!);
        if (options.TryGetProperty("frameworks", out var many))
            names.AddRange(many.EnumerateArray().Select(f => f.GetProperty("name").GetString()!));
        if (names.Count == 0)
            throw new ArgumentException($"{path} names no shared framework: the app is not framework-dependent.");
        return names;
    }
}
