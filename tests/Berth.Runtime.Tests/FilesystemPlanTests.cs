using System.Runtime.InteropServices;
using Berth.Runtime.Filesystem;
using Xunit.Abstractions;

namespace Berth.Runtime.Tests;

/// <summary>
/// The plan as data (JSON, validation), what is found on this host for a .NET template, and what
/// <see cref="ContainerFilesystem.Prepare"/> writes: files and directories only, never a mount.
/// </summary>
[Collection(FilesystemCollection.Name)]
public sealed class FilesystemPlanTests : IDisposable
{
    private readonly FilesystemScratch _scratch = new();
    private readonly ITestOutputHelper _output;

    public FilesystemPlanTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void APlanRoundTripsThroughJson()
    {
        var plan = new ContainerFilesystemPlan
        {
            ContainerId = "web-1",
            StateDirectory = "/run/berth",
            Root = new DirectoryRootFilesystem(["/images/a", "/images/b"]),
            ReadOnlyRoot = true,
            Hostname = "web",
            Hosts = [new HostEntry("db", "127.0.1.3")],
            User = new ContainerUser("app", 1000, 1001),
            MountProc = false,
            Volumes = [new BindVolume("/srv/data", "/data", ReadOnly: true), new TmpfsVolume("/cache", 1 << 20, 0x1C0)],
            Secrets = [new SecretFile("key", [0, 1, 255])],
        };

        var json = plan.ToJson();
        Assert.Contains("\"kind\":\"directory\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"bind\"", json, StringComparison.Ordinal);
        Assert.Contains("\"content\":\"AAH/\"", json, StringComparison.Ordinal);

        var back = ContainerFilesystemPlan.FromJson(json);
        Assert.Equal(["/images/a", "/images/b"], Assert.IsType<DirectoryRootFilesystem>(back.Root).Layers);
        Assert.Equal(plan.Volumes, back.Volumes);
        Assert.Equal(plan.Hosts, back.Hosts);
        Assert.Equal(plan.User, back.User);
        Assert.Equal([0, 1, 255], Assert.Single(back.Secrets).Content);
        Assert.Equal((true, false, "web"), (back.ReadOnlyRoot, back.MountProc, back.Hostname));

        var dotnet = ContainerFilesystemPlan.FromJson((plan with { Root = new DotnetRootFilesystem("/app", "/usr/share/dotnet", ["/usr/lib"]) }).ToJson());
        Assert.Equal(["/usr/lib"], Assert.IsType<DotnetRootFilesystem>(dotnet.Root).SystemPaths);
    }

    [Fact]
    public void ASecretNeverPrintsItsContent() =>
        Assert.DoesNotContain("hunter2", new SecretFile("key", "hunter2"u8.ToArray()).ToString(), StringComparison.Ordinal);

    [Theory]
    [InlineData("../escape", "container id")]
    [InlineData("a/b", "container id")]
    [InlineData("", "empty")]
    public void ContainerIdsArePlainNames(string id, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new ContainerDirectory("/run/berth", id));
        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ValidationNamesWhatIsWrong()
    {
        var image = _scratch.CreateDirectory("image");
        var valid = new ContainerFilesystemPlan { ContainerId = _scratch.Id, Root = DirectoryRootFilesystem.Of(image) };
        valid.Validate();

        AssertInvalid(valid with { Root = DirectoryRootFilesystem.Of("/nonexistent-berth-image") }, "does not exist");
        AssertInvalid(valid with { Volumes = [new TmpfsVolume("relative")] }, "absolute path");
        AssertInvalid(valid with { Volumes = [new TmpfsVolume("/")] }, "not the root");
        AssertInvalid(valid with { Volumes = [new TmpfsVolume("/a"), new TmpfsVolume("/a/")] }, "Two volumes");
        AssertInvalid(valid with { Volumes = [new BindVolume("/nonexistent-berth-source", "/a")] }, "does not exist");
        AssertInvalid(valid with { Secrets = [new SecretFile("../x", [])] }, "plain file name");
        AssertInvalid(valid with { Secrets = [new SecretFile("x", []), new SecretFile("x", [])] }, "Two secrets");
        AssertInvalid(valid with { Hostname = "two words" }, "hostname");
        AssertInvalid(valid with { Hosts = [new HostEntry("db", "not-an-address")] }, "not an IP address");
        AssertInvalid(valid with { User = new ContainerUser("bad:name", 1, 1) }, "user name");
    }

    [Fact]
    public void TheHostsDotnetInstallationAndLibrariesAreFound()
    {
        var root = DotnetInstallation.Locate();
        Assert.StartsWith(root + "/", RuntimeEnvironment.GetRuntimeDirectory(), StringComparison.Ordinal);

        var paths = SystemLibraries.Locate(root);
        _output.WriteLine($".NET at {root}; system paths: {string.Join(", ", paths)}");
        Assert.Contains(paths, path => File.Exists(Path.Combine(path, "libc.so.6")) || Directory.EnumerateFiles(path, "ld-musl-*").Any());
        Assert.Contains(paths, path => Directory.Exists(path) && Directory.EnumerateFiles(path, "libicuuc.so.*").Any());
        Assert.DoesNotContain(paths, path => MountTable.IsAtOrBelow(path, root));

        // The ELF interpreter is listed as the executable names it (e.g. /lib64/ld-linux-x86-64.so.2).
        var interpreter = ElfInterpreter.Read(Path.Combine(root, "dotnet"));
        Assert.NotNull(interpreter);
        Assert.Contains(interpreter, paths);
        Assert.True(File.Exists(interpreter));
    }

    [Fact]
    public void ElfInterpreterIsNullForAFileThatIsNotElf()
    {
        var file = Path.Combine(_scratch.TempDirectory, "script");
        File.WriteAllText(file, "#!/bin/sh\n");
        Assert.Null(ElfInterpreter.Read(file));
    }

    [Fact]
    public void PrepareWritesTheDotnetTemplateWithoutMounting()
    {
        var app = _scratch.CreateDirectory("app");
        var root = DotnetRootFilesystem.ForHost(app);
        var plan = new ContainerFilesystemPlan
        {
            ContainerId = _scratch.Id,
            Root = root,
            Hostname = "api",
            User = new ContainerUser("svc", 2000, 2001),
            Volumes = [new TmpfsVolume("/var/cache/api")],
            Secrets = [new SecretFile("token", [1])],
        };
        ContainerFilesystem.Prepare(plan);
        ContainerFilesystem.Prepare(plan);
        _scratch.AssertNoMountsOnHost();

        var layout = plan.ContainerDirectory;
        Assert.Equal("700", ModeOf(layout.Path));
        var rootfs = layout.Rootfs;
        Assert.Equal("api\n", File.ReadAllText(Path.Combine(rootfs, "etc", "hostname")));
        Assert.Equal("root:x:0:0:root:/root:/usr/sbin/nologin\nsvc:x:2000:2001:svc:/tmp:/usr/sbin/nologin\n", File.ReadAllText(Path.Combine(rootfs, "etc", "passwd")));
        Assert.Equal("root:x:0:\nsvc:x:2001:\n", File.ReadAllText(Path.Combine(rootfs, "etc", "group")));
        Assert.Contains("hosts: files\n", File.ReadAllText(Path.Combine(rootfs, "etc", "nsswitch.conf")), StringComparison.Ordinal);
        foreach (var mountPoint in new[] { "app", "proc", "dev", "sys", "tmp", "run/secrets", "var/cache/api" })
            Assert.True(Directory.Exists(Path.Combine(rootfs, mountPoint)), mountPoint);

        // The host paths' mount points are empty, and the links that lead to them are there as on the host.
        Assert.Empty(Directory.EnumerateFileSystemEntries(ContainerPath.Join(rootfs, root.DotnetRoot)));
        Assert.Equal(Path.Combine(root.DotnetRoot, "dotnet"), new FileInfo(ContainerPath.Join(rootfs, "/usr/bin/dotnet")).LinkTarget);
        var interpreter = ElfInterpreter.Read(Path.Combine(root.DotnetRoot, "dotnet"))!;
        var insideTarget = ContainerPath.Resolve(rootfs, interpreter);
        Assert.Equal(ContainerPath.Join(rootfs, HostPath.Resolve(interpreter)), insideTarget);
    }

    [Fact]
    public void PrepareAddsOnlyMissingMountPointsToTheInitLayer()
    {
        var image = _scratch.CreateDirectory("image");
        Directory.CreateDirectory(Path.Combine(image, "proc"));
        Directory.CreateDirectory(Path.Combine(image, "var", "tmp"));
        File.CreateSymbolicLink(Path.Combine(image, "tmp"), "var/tmp");
        var plan = new ContainerFilesystemPlan { ContainerId = _scratch.Id, Root = DirectoryRootFilesystem.Of(image), ReadOnlyRoot = true };

        ContainerFilesystem.Prepare(plan);
        _scratch.AssertNoMountsOnHost();

        var layout = plan.ContainerDirectory;
        var init = layout.InitLayer;
        Assert.Equal(["dev", "etc", "sys"], Directory.EnumerateFileSystemEntries(init).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["hostname", "hosts", "resolv.conf"], Directory.EnumerateFileSystemEntries(Path.Combine(init, "etc")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["hostname", "hosts", "resolv.conf"], Directory.EnumerateFileSystemEntries(layout.Etc).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(layout.Upper));
        Assert.False(Directory.Exists(layout.Work));
        Assert.True(Directory.Exists(layout.Rootfs));

        ContainerFilesystem.Prepare(plan with { ReadOnlyRoot = false });
        Assert.True(Directory.Exists(layout.Upper));
        Assert.True(Directory.Exists(layout.Work));
    }

    [Fact]
    public void MountFlagsAreSpelledAsTheKernelHeadersDo()
    {
        Assert.Equal("0", MountFlagsText.Format(MountFlags.None));
        Assert.Equal("MS_RDONLY|MS_REMOUNT|MS_BIND", MountFlagsText.Format(MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly));
        Assert.Equal("MS_REC|MS_PRIVATE", MountFlagsText.Format(MountFlags.Recursive | MountFlags.Private));
        Assert.Equal("MS_NOSUID|0x40000000", MountFlagsText.Format(MountFlags.NoSuid | (MountFlags)0x40000000));
    }

    public void Dispose() => _scratch.Dispose();

    private static void AssertInvalid(ContainerFilesystemPlan plan, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(plan.Validate);
        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static unsafe string ModeOf(string path)
    {
        Tmds.Linux.stat status;
        fixed (byte* bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0"))
            Assert.Equal(0, Tmds.Linux.LibC.lstat(bytes, &status));
        return Convert.ToString((ushort)status.st_mode & 0xFFF, 8);
    }
}
