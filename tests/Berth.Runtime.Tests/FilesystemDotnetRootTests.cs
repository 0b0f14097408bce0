using System.Text;
using System.Text.Json;
using Berth.Runtime.Filesystem;

namespace Berth.Runtime.Tests;

/// <summary>
/// Sets the container up once for all of <see cref="FilesystemDotnetRootTests"/>: a .NET template root, read-only,
/// with volumes and a secret, run by the probe as a container's init would (PID 1 of a new PID namespace, in a new
/// mount namespace), which looks around from inside and then runs the probe itself as the container's app from
/// <c>/app</c> on the host's runtime.
/// </summary>
public sealed class DotnetRootContainerFixture : IDisposable
{
    public const string Secret = "s3cret\nwith a newline";

    private readonly FilesystemScratch _scratch = new();

    public DotnetRootContainerFixture()
    {
        try
        {
            (Marker, Data, Config, Root, Report) = SetUp();
        }
        catch
        {
            _scratch.Dispose();
            throw;
        }
    }

    private (string Marker, string Data, string Config, DotnetRootFilesystem Root, JsonElement Report) SetUp()
    {
        var marker = Path.Combine(_scratch.TempDirectory, "host-marker");
        File.WriteAllText(marker, "host only");
        var data = _scratch.CreateDirectory("data");
        var config = _scratch.CreateDirectory("config");
        File.WriteAllText(Path.Combine(config, "settings.json"), "{}");

        // The test's own output directory is the app: it holds the probe with its runtimeconfig and deps files.
        var root = DotnetRootFilesystem.ForHost(AppContext.BaseDirectory);
        var plan = new ContainerFilesystemPlan
        {
            ContainerId = _scratch.Id,
            Root = root,
            ReadOnlyRoot = true,
            Hostname = "catalog",
            Hosts = [new HostEntry("orders", "127.0.1.2")],
            User = new ContainerUser("app", 1000, 1000),
            Volumes =
            [
                new BindVolume(data, "/data"),
                new BindVolume(config, "/config", ReadOnly: true),
                new TmpfsVolume("/scratch", SizeBytes: 1 << 20, Mode: 0x1C0),
                new TmpfsVolume("/tmp/cache"),
            ],
            Secrets = [new SecretFile("db-password", Encoding.UTF8.GetBytes(Secret))],
        };
        ContainerFilesystem.Prepare(plan);

        var inspection = new
        {
            exists = new[] { marker, _scratch.TempDirectory, _scratch.ContainerDirectory.Path, "/work", "/root", "/home", "/etc/os-release", "/usr/bin/busybox", "/usr/bin/dotnet", "/lib64/ld-linux-x86-64.so.2" },
            list = new[] { "/", "/dev", "/etc", "/run/secrets", "/app" }.Concat(MaskedPaths.Masked).ToArray(),
            read = new[] { "/etc/hostname", "/etc/hosts", "/etc/passwd", "/etc/group", "/run/secrets/db-password", "/config/settings.json", "/proc/self/comm" }.Concat(MaskedPaths.Masked).ToArray(),
            write = new[] { "/written-to-root", "/tmp/written", "/tmp/cache/written", "/proc/sys/kernel/hostname", "/proc/sysrq-trigger", "/sys/kernel/written", "/run/secrets/written", "/data/written", "/config/written", "/scratch/written", "/app/written", "/dev/null", "/dev/shm/written", "/etc/written" },
            stat = new[] { "/run/secrets/db-password", "/run/secrets", "/dev/null", "/dev/zero", "/dev/ptmx", "/dev/pts/ptmx", "/scratch", "/tmp" },
            mountFlags = new[] { "/", "/app", "/proc", "/sys", "/dev/shm", "/config", "/data", "/run/secrets", root.DotnetRoot },
            openPtmx = true,
        };
        var appInspection = JsonSerializer.Serialize(
            new { runtime = true, exists = new[] { marker, "/app/Berth.Runtime.Probe.dll" }, read = new[] { "/etc/hostname", "/run/secrets/db-password" } },
            new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var report = _scratch.RunSetup(plan, inspection, app: ["/usr/bin/dotnet", "/app/Berth.Runtime.Probe.dll", "rootfs-inspect", appInspection]);
        Assert.True(report.GetProperty("setupError").ValueKind == JsonValueKind.Null, report.GetProperty("setupError").ToString());
        return (marker, data, config, root, report);
    }

    internal FilesystemScratch Scratch => _scratch;

    public string Marker { get; }

    public string Data { get; }

    public string Config { get; }

    public DotnetRootFilesystem Root { get; }

    public JsonElement Report { get; }

    public void Dispose() => _scratch.Dispose();
}

/// <summary>
/// A .NET template container for real: what its init and its app see, and that nothing else of the host is there.
/// </summary>
[Collection(FilesystemCollection.Name)]
public sealed class FilesystemDotnetRootTests : IClassFixture<DotnetRootContainerFixture>
{
    private const int Enoent = 2;
    private const int Erofs = 30;
    private const string Secret = DotnetRootContainerFixture.Secret;

    private readonly DotnetRootContainerFixture _container;

    public FilesystemDotnetRootTests(DotnetRootContainerFixture container) => _container = container;

    private JsonElement View => _container.Report.GetProperty("view");

    private JsonElement App
    {
        get
        {
            var run = _container.Report.GetProperty("appRun");
            Assert.True(run.GetProperty("exitCode").GetInt32() == 0, $"The app failed inside the container: {run}");
            return _container.Report.GetProperty("app");
        }
    }

    [Fact]
    public void SetupRanAsPid1OfItsOwnPidNamespace() =>
        Assert.Equal(1, View.GetProperty("processId").GetInt32());

    [Fact]
    public void TheRootHoldsOnlyWhatADotnetAppNeeds()
    {
        var root = Strings(View.GetProperty("listings").GetProperty("/"));
        foreach (var expected in new[] { "app", "config", "data", "dev", "etc", "proc", "run", "scratch", "sys", "tmp", "usr" })
            Assert.Contains(expected, root);

        // The only other entries are the host's library links (/lib -> usr/lib, /lib64 -> usr/lib64 on Debian).
        Assert.All(root.Except(["app", "config", "data", "dev", "etc", "proc", "run", "scratch", "sys", "tmp", "usr"]),
            name => Assert.StartsWith("lib", name, StringComparison.Ordinal));
        Assert.Equal(["group", "hostname", "hosts", "nsswitch.conf", "passwd", "resolv.conf"], Strings(View.GetProperty("listings").GetProperty("/etc")));
    }

    [Fact]
    public void NothingElseOfTheHostIsVisible()
    {
        var exists = View.GetProperty("exists");
        Assert.False(exists.GetProperty(_container.Marker).GetBoolean(), "The host's marker file is visible inside.");
        Assert.False(exists.GetProperty(_container.Scratch.TempDirectory).GetBoolean());
        Assert.False(exists.GetProperty(_container.Scratch.ContainerDirectory.Path).GetBoolean());
        foreach (var hostPath in new[] { "/work", "/root", "/home", "/etc/os-release", "/usr/bin/busybox" })
            Assert.False(exists.GetProperty(hostPath).GetBoolean(), $"{hostPath} of the host is visible inside.");
        Assert.True(exists.GetProperty("/usr/bin/dotnet").GetBoolean());
    }

    [Fact]
    public void TheContainerSeesOnlyItsOwnMounts()
    {
        var expected = new HashSet<string>(StringComparer.Ordinal)
        {
            "/", "/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/tmp", "/tmp/cache", "/app",
            "/data", "/config", "/scratch", "/run/secrets",
        };
        foreach (var device in DevFilesystem.Devices)
            expected.Add("/dev/" + device);
        foreach (var source in HostPathExposure.BindSources([_container.Root.DotnetRoot, .. _container.Root.SystemPaths]))
            expected.Add(source);

        var seen = Strings(View.GetProperty("mountPoints"));
        var masks = MaskedPaths.Masked.Concat(MaskedPaths.ReadOnly).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(expected.Order(StringComparer.Ordinal), seen.Where(point => !masks.Contains(point)).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EtcIsGenerated()
    {
        var reads = View.GetProperty("reads");
        Assert.Equal("catalog\n", Text(reads, "/etc/hostname"));
        var hosts = Text(reads, "/etc/hosts");
        Assert.Contains("127.0.0.1\tlocalhost catalog\n", hosts, StringComparison.Ordinal);
        Assert.Contains("127.0.1.2\torders\n", hosts, StringComparison.Ordinal);
        Assert.Contains("app:x:1000:1000:", Text(reads, "/etc/passwd"), StringComparison.Ordinal);
        Assert.Contains("app:x:1000:", Text(reads, "/etc/group"), StringComparison.Ordinal);
    }

    [Fact]
    public void DockersPathsAreMaskedAndReadOnly()
    {
        // Which of them exist depends on the kernel's configuration (this one may have no /proc/kcore); the host's
        // own /proc tells, and each one that exists must read as nothing inside.
        var reads = View.GetProperty("reads");
        var listings = View.GetProperty("listings");
        var masked = 0;
        foreach (var path in MaskedPaths.Masked)
        {
            if (Directory.Exists(path))
            {
                Assert.True(Strings(listings.GetProperty(path)).Length == 0, $"{path} is not empty inside: {listings.GetProperty(path)}");
                masked++;
            }
            else if (File.Exists(path))
            {
                var read = reads.GetProperty(path);
                Assert.True(read.GetProperty("errno").GetInt32() == 0 && read.GetProperty("length").GetInt32() == 0, $"{path} is not masked inside: {read}");
                masked++;
            }
        }

        Assert.True(masked >= 3, $"Only {masked} of Docker's masked paths exist on this kernel; the test proves little.");
        Assert.Equal("dotnet\n", Text(reads, "/proc/self/comm"));

        var writes = View.GetProperty("writes");
        Assert.Equal(Erofs, writes.GetProperty("/proc/sys/kernel/hostname").GetInt32());
        Assert.Equal(File.Exists("/proc/sysrq-trigger") ? Erofs : Enoent, writes.GetProperty("/proc/sysrq-trigger").GetInt32());
        Assert.Equal(Erofs, writes.GetProperty("/sys/kernel/written").GetInt32());
    }

    [Fact]
    public void TheReadOnlyRootRefusesWritesWhileTmpAndWritableVolumesTakeThem()
    {
        var writes = View.GetProperty("writes");
        foreach (var path in new[] { "/written-to-root", "/etc/written", "/app/written", "/config/written", "/run/secrets/written" })
            Assert.True(writes.GetProperty(path).GetInt32() == Erofs, $"{path}: errno {writes.GetProperty(path).GetInt32()}, not EROFS");
        foreach (var path in new[] { "/tmp/written", "/tmp/cache/written", "/data/written", "/scratch/written", "/dev/null", "/dev/shm/written" })
            Assert.True(writes.GetProperty(path).GetInt32() == 0, $"{path}: errno {writes.GetProperty(path).GetInt32()}");

        Assert.Equal("berth", File.ReadAllText(Path.Combine(_container.Data, "written")));
        Assert.False(File.Exists(Path.Combine(_container.Config, "written")));
        Assert.False(File.Exists(ContainerPath.Join(_container.Scratch.ContainerDirectory.Rootfs, "/written-to-root")));
    }

    [Fact]
    public void MountsCarryTheirFlags()
    {
        var flags = View.GetProperty("mountFlags");
        Assert.Contains("MS_RDONLY", Flags(flags, "/"));
        Assert.Equal(["MS_NODEV", "MS_NOSUID", "MS_RDONLY"], Flags(flags, "/app").Intersect(["MS_RDONLY", "MS_NOSUID", "MS_NODEV", "MS_NOEXEC"]).Order());
        Assert.Equal(["MS_NODEV", "MS_NOSUID", "MS_RDONLY"], Flags(flags, _container.Root.DotnetRoot).Intersect(["MS_RDONLY", "MS_NOSUID", "MS_NODEV", "MS_NOEXEC"]).Order());
        Assert.Equal(["MS_NODEV", "MS_NOEXEC", "MS_NOSUID"], Flags(flags, "/proc").Intersect(["MS_RDONLY", "MS_NOSUID", "MS_NODEV", "MS_NOEXEC"]).Order());
        Assert.Contains("MS_RDONLY", Flags(flags, "/sys"));
        Assert.Contains("MS_RDONLY", Flags(flags, "/config"));
        Assert.Contains("MS_RDONLY", Flags(flags, "/run/secrets"));
        Assert.DoesNotContain("MS_RDONLY", Flags(flags, "/data"));
        Assert.Contains("MS_NOEXEC", Flags(flags, "/dev/shm"));
    }

    [Fact]
    public void DevHoldsOnlyTheUsualDevices()
    {
        Assert.Equal(
            ["fd", "full", "mqueue", "null", "ptmx", "pts", "random", "shm", "stderr", "stdin", "stdout", "tty", "urandom", "zero"],
            Strings(View.GetProperty("listings").GetProperty("/dev")));
        var stats = View.GetProperty("stats");
        Assert.Equal("char", stats.GetProperty("/dev/null").GetProperty("type").GetString());
        Assert.Equal("666", stats.GetProperty("/dev/null").GetProperty("mode").GetString());
        Assert.Equal("char", stats.GetProperty("/dev/zero").GetProperty("type").GetString());
        Assert.Equal("symlink", stats.GetProperty("/dev/ptmx").GetProperty("type").GetString());
        Assert.Equal("666", stats.GetProperty("/dev/pts/ptmx").GetProperty("mode").GetString());
        Assert.Equal(0, View.GetProperty("ptmx").GetInt32());
    }

    [Fact]
    public void SecretsAreFilesOwnedByTheContainerUserWithMode0400()
    {
        Assert.Equal(["db-password"], Strings(View.GetProperty("listings").GetProperty("/run/secrets")));
        var secret = View.GetProperty("stats").GetProperty("/run/secrets/db-password");
        Assert.Equal("file", secret.GetProperty("type").GetString());
        Assert.Equal("400", secret.GetProperty("mode").GetString());
        Assert.Equal(1000u, secret.GetProperty("uid").GetUInt32());
        Assert.Equal(1000u, secret.GetProperty("gid").GetUInt32());
        Assert.Equal(Secret, Text(View.GetProperty("reads"), "/run/secrets/db-password"));
    }

    [Fact]
    public void VolumesGetTheirModes()
    {
        var stats = View.GetProperty("stats");
        Assert.Equal("700", stats.GetProperty("/scratch").GetProperty("mode").GetString());
        Assert.Equal("1777", stats.GetProperty("/tmp").GetProperty("mode").GetString());
        Assert.Equal("{}", Text(View.GetProperty("reads"), "/config/settings.json"));
    }

    [Fact]
    public void TheAppRunsOnTheHostsRuntimeWithIcuAndOpenSsl()
    {
        var runtime = App.GetProperty("runtime");
        Assert.True(runtime.GetProperty("error").ValueKind == JsonValueKind.Null, runtime.ToString());
        Assert.StartsWith(".NET 10", runtime.GetProperty("framework").GetString(), StringComparison.Ordinal);
        Assert.StartsWith(_container.Root.DotnetRoot, runtime.GetProperty("runtimeDirectory").GetString(), StringComparison.Ordinal);
        Assert.Equal(",", runtime.GetProperty("germanDecimalSeparator").GetString());
        Assert.False(runtime.GetProperty("invariantGlobalization").GetBoolean());
        Assert.Equal(Sha256Hex("berth"), runtime.GetProperty("sha256OfBerth").GetString());
    }

    [Fact]
    public void TheAppSeesTheSameContainer()
    {
        Assert.True(App.GetProperty("processId").GetInt32() > 1, "The app should be a child of the container's PID 1.");
        Assert.False(App.GetProperty("exists").GetProperty(_container.Marker).GetBoolean());
        Assert.True(App.GetProperty("exists").GetProperty("/app/Berth.Runtime.Probe.dll").GetBoolean());
        Assert.Equal("catalog\n", Text(App.GetProperty("reads"), "/etc/hostname"));
        Assert.Equal(Secret, Text(App.GetProperty("reads"), "/run/secrets/db-password"));
    }

    [Fact]
    public void PrepareMountedNothingOnTheHost() => _container.Scratch.AssertNoMountsOnHost();

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(item => item.GetString()!).ToArray();

    private static string Text(JsonElement reads, string path)
    {
        var read = reads.GetProperty(path);
        Assert.True(read.GetProperty("errno").GetInt32() == 0, $"{path}: {read}");
        return read.GetProperty("text").GetString()!;
    }

    private static string[] Flags(JsonElement flags, string path) => flags.GetProperty(path).GetString()!.Split('|');

    private static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
