using System.Globalization;

namespace Berth.Benchmarks.ImageStart.Contenders;

/// <summary>
/// Podman with a storage of its own in the run's workspace (<c>--root</c>, <c>--runroot</c>, <c>--tmpdir</c>), so that
/// this run's images and containers are exactly those it lists, and with the global flags this host needs: cgroupfs
/// (no systemd here), runc (crun 1.8 refuses a hybrid cgroup host) and the file events backend (no journald).
/// </summary>
internal sealed class PodmanCli(string binary, string storage)
{
    /// <summary>What every Podman command gets after its storage's paths and before its own arguments.</summary>
    public static readonly IReadOnlyList<string> GlobalFlags =
        ["--storage-driver", "overlay", "--cgroup-manager", "cgroupfs", "--runtime", "runc", "--events-backend", "file"];

    public string Storage { get; } = storage;

    public static PodmanCli? Find(string storage) => ToolLocator.Find("podman") is { } binary ? new PodmanCli(binary, storage) : null;

    public Task<ChildProcess> StartAsync(params string[] arguments) =>
        ChildProcess.StartAsync(DirectLauncher.Instance, binary, [.. StorageFlags(Storage), .. GlobalFlags, .. arguments], drain: true);

    /// <summary>Runs a command to its end; a failure throws with Podman's own message.</summary>
    public async Task<string> RunAsync(params string[] arguments)
    {
        using var child = await StartAsync(arguments).ConfigureAwait(false);
        return await child.SucceedAsync().ConfigureAwait(false);
    }

    /// <summary><c>podman load -q -i ARCHIVE</c>; the loaded image's id (an OCI archive without a name loads without one).</summary>
    public async Task<string> LoadAsync(string archive)
    {
        var output = await RunAsync("load", "--quiet", "--input", archive).ConfigureAwait(false);
        const string Loaded = "Loaded image: ";
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(Loaded, StringComparison.Ordinal))
            ?? throw new ContenderRunException($"podman load said no \"{Loaded}\": {output.Trim()}");
        var image = line[Loaded.Length..].Trim();
        return image.StartsWith("sha256:", StringComparison.Ordinal) ? image["sha256:".Length..] : image;
    }

    /// <summary>
    /// <c>podman run</c> of <c>/bin/true</c> as the container every runtime in the benchmarks makes
    /// (<see cref="BenchContainer"/>), as far as Podman's flags say it: no network, nobody, no capabilities,
    /// no_new_privs, the same limits and host name, a tmpfs <c>/tmp</c>, removed once it exits. The two rlimits are
    /// set because Podman's defaults (<c>RLIMIT_NOFILE</c> 1048576, <c>RLIMIT_NPROC</c> from the host's maximum)
    /// need <c>CAP_SYS_RESOURCE</c>, which root on this machine lacks.
    /// </summary>
    public static string[] RunTrueArguments(string image, string cgroupParent) =>
    [
        "run", "--rm", "--network", "none", "--cgroup-parent", cgroupParent,
        "--user", string.Create(CultureInfo.InvariantCulture, $"{BenchContainer.Uid}:{BenchContainer.Gid}"),
        "--cap-drop", "all", "--security-opt", "no-new-privileges",
        "--memory", string.Create(CultureInfo.InvariantCulture, $"{BenchContainer.Limits.MemoryBytes}"),
        "--memory-swap", string.Create(CultureInfo.InvariantCulture, $"{BenchContainer.Limits.MemoryBytes}"),
        "--pids-limit", string.Create(CultureInfo.InvariantCulture, $"{BenchContainer.Limits.Pids}"),
        "--cpus", string.Create(CultureInfo.InvariantCulture, $"{BenchContainer.Limits.CpuCores}"),
        "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
        "--hostname", BenchContainer.Hostname, "--env", $"PATH={BenchContainer.Path}",
        "--tmpfs", "/tmp:rw,nosuid,nodev,mode=1777",
        "--entrypoint", BenchContainer.TrueCommand[0], image,
    ];

    /// <summary>Removes every container and image of this storage: what a run left, finished or not.</summary>
    public async Task RemoveAllAsync()
    {
        if (!Directory.Exists(Storage))
        {
            return;
        }

        await RunAsync("rm", "--all", "--force").ConfigureAwait(false);
        await RunAsync("rmi", "--all", "--force").ConfigureAwait(false);
    }

    /// <summary>The ids <c>podman ps -a</c> (or <c>images</c>) lists.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string what) =>
        (await RunAsync(what, "--all", "--quiet").ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A Podman command line as the report shows it, the storage's directory written <c>STORAGE</c>.</summary>
    public static string Describe(IEnumerable<string> arguments) =>
        string.Join(' ', ["podman", .. StorageFlags("STORAGE"), .. GlobalFlags, .. arguments]);

    private static string[] StorageFlags(string storage) =>
        ["--root", Path.Combine(storage, "root"), "--runroot", Path.Combine(storage, "run"), "--tmpdir", Path.Combine(storage, "tmp")];
}
