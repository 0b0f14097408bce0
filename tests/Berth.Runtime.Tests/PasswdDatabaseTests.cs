using Berth.Runtime.Security;

namespace Berth.Runtime.Tests;

/// <summary>Resolving a service's <c>user</c> against a root filesystem's <c>/etc/passwd</c> and <c>/etc/group</c>.</summary>
public sealed class PasswdDatabaseTests : IDisposable
{
    private const string Passwd = """
        root:x:0:0:root:/root:/bin/bash
        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
        # a comment, then a blank line and NIS lines

        +@netgroup
        -baduser
        broken:x:notanumber:1:broken:/:/bin/sh
        short:x:5
        app:x:1000:1000:The App,,,:/home/app:/bin/sh
        www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
        nohome:x:2000:2000::
        nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
        app:x:1001:1001:a later duplicate:/elsewhere:/bin/sh
        """;

    private const string Group = "root:x:0:\r\n" +
        "staff:x:50:app,www-data\n" +
        "app:x:1000:\n" +
        "docker:x:999: app , other \n" +
        "selfprimary:x:1000:app\n" +
        "empty:x:77:\n" +
        "nogroup:x:65534:\n";

    private readonly string _root = Directory.CreateTempSubdirectory("berth-passwd-").FullName;

    private static PasswdDatabase Database => PasswdDatabase.Parse(Passwd, Group);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ParsingSkipsCommentsNisAndMalformedLines()
    {
        Assert.Equal(["root", "daemon", "app", "www-data", "nohome", "nobody", "app"], Database.Users.Select(user => user.Name));
        Assert.Equal(new PasswdEntry("app", 1000, 1000, "/home/app", "/bin/sh"), Database.FindUser("app"));
        Assert.Equal("www-data", Database.FindUser(33)!.Name);
        Assert.Equal(["app", "other"], Database.FindGroup("docker")!.Members);
        Assert.Equal(0U, Database.FindGroup("root")!.Gid);
    }

    [Fact]
    public void ANameGivesItsIdsAndTheGroupsThatListItAsMember()
    {
        var resolved = Database.Resolve("app");
        // staff (50) and docker (999) list app; selfprimary shares its primary group 1000 and adds nothing.
        Assert.Equal(new UserIdentity(1000, 1000, [50, 999]), resolved.Identity);
        Assert.Equal("app", resolved.Name);
        Assert.Equal("/home/app", resolved.Home);
    }

    [Fact]
    public void AUidListedInPasswdIsThatUser()
    {
        var resolved = Database.Resolve("33");
        Assert.Equal(new UserIdentity(33, 33, [50]), resolved.Identity);
        Assert.Equal("www-data", resolved.Name);
        Assert.Equal("/var/www", resolved.Home);
    }

    [Fact]
    public void AnUnlistedUidGetsNogroupAndHomeSlash()
    {
        var resolved = Database.Resolve("4242");
        Assert.Equal(new UserIdentity(4242, 65534), resolved.Identity);
        Assert.Null(resolved.Name);
        Assert.Equal("/", resolved.Home);
    }

    [Theory]
    [InlineData("1000:50", 1000U, 50U)]
    [InlineData("app:staff", 1000U, 50U)]
    [InlineData("app:4242", 1000U, 4242U)]
    [InlineData("4242:staff", 4242U, 50U)]
    [InlineData("4242:4343", 4242U, 4343U)]
    [InlineData("0:0", 0U, 0U)]
    [InlineData("root", 0U, 0U)]
    public void AnExplicitGroupReplacesThePrimaryGroupAndAddsNoOthers(string specification, uint uid, uint gid) =>
        Assert.Equal(new UserIdentity(uid, gid), Database.Resolve(specification).Identity);

    [Fact]
    public void TheFirstOfDuplicateNamesWins() => Assert.Equal(1000U, Database.Resolve("app").Identity.Uid);

    [Fact]
    public void AnEmptyHomeIsSlash() => Assert.Equal("/", Database.Resolve("nohome").Home);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void NoUserIsNobodyAndNogroup(string? specification)
    {
        var resolved = Database.Resolve(specification);
        Assert.Same(UserIdentity.Default, resolved.Identity);
        Assert.Equal(new UserIdentity(65534, 65534), resolved.Identity);
        Assert.Equal("nobody", resolved.Name);
        Assert.Equal("/nonexistent", resolved.Home);
    }

    [Fact]
    public void AMissingUserNamesTheUserAndTheFile()
    {
        var database = PasswdDatabase.Parse(Passwd, Group, "/srv/shop/rootfs/etc/passwd", "/srv/shop/rootfs/etc/group");
        var error = Assert.Throws<UserLookupException>(() => database.Resolve("postgres"));
        Assert.Equal("User 'postgres' is not in /srv/shop/rootfs/etc/passwd.", error.Message);
    }

    [Fact]
    public void AMissingGroupNamesTheGroupAndTheFile()
    {
        var error = Assert.Throws<UserLookupException>(() => Database.Resolve("app:wheel"));
        Assert.Equal("Group 'wheel' is not in /etc/group.", error.Message);
    }

    [Fact]
    public void WithoutFilesOnlyNumbersResolveAndNamesSayTheFileIsMissing()
    {
        Assert.Equal(new UserIdentity(1000, 1000), PasswdDatabase.Empty.Resolve("1000:1000").Identity);
        Assert.Equal(new UserIdentity(0, 65534), PasswdDatabase.Empty.Resolve("0").Identity);
        var error = Assert.Throws<UserLookupException>(() => PasswdDatabase.Empty.Resolve("app"));
        Assert.Equal("User 'app' is not in /etc/passwd (the file does not exist).", error.Message);
    }

    [Theory]
    [InlineData(":1000")]
    [InlineData("1000:")]
    [InlineData("a:b:c")]
    [InlineData(":")]
    public void MalformedSpecificationsAreRejected(string specification)
    {
        var error = Assert.Throws<UserLookupException>(() => Database.Resolve(specification));
        Assert.Contains($"'{specification}' is not a user", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4294967295")]
    [InlineData("1000:4294967295")]
    [InlineData("99999999999")]
    public void IdsOutOfRangeAreRejected(string specification)
    {
        var error = Assert.Throws<UserLookupException>(() => Database.Resolve(specification));
        Assert.Contains("out of range", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UserIdentityRejectsTheUnchangedId()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new UserIdentity(uint.MaxValue, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UserIdentity(0, uint.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UserIdentity(0, 0, [uint.MaxValue]));
        Assert.Equal("1000:1000 (groups 27, 100)", new UserIdentity(1000, 1000, [27, 100]).ToString());
        Assert.Equal("65534:65534", UserIdentity.Default.ToString());
    }

    [Fact]
    public void LoadReadsTheRootFileSystemsFiles()
    {
        Directory.CreateDirectory(Path.Join(_root, "etc"));
        File.WriteAllText(Path.Join(_root, "etc/passwd"), Passwd);
        File.WriteAllText(Path.Join(_root, "etc/group"), Group);

        var database = PasswdDatabase.Load(_root);
        Assert.Equal(new UserIdentity(1000, 1000, [50, 999]), database.Resolve("app").Identity);
        var error = Assert.Throws<UserLookupException>(() => database.Resolve("ghost"));
        Assert.Equal($"User 'ghost' is not in {_root}/etc/passwd.", error.Message);
    }

    [Fact]
    public void LoadResolvesAbsoluteLinksInsideTheRootFileSystem()
    {
        // /etc/passwd -> /usr/lib/passwd, as the container sees it; on the host that path would be the host's file.
        Directory.CreateDirectory(Path.Join(_root, "etc"));
        Directory.CreateDirectory(Path.Join(_root, "usr/lib"));
        File.WriteAllText(Path.Join(_root, "usr/lib/passwd"), "image-only:x:4321:4321::/srv:/bin/sh\n");
        File.CreateSymbolicLink(Path.Join(_root, "etc/passwd"), "/usr/lib/passwd");
        File.CreateSymbolicLink(Path.Join(_root, "etc/group"), "../../../../../../etc/group-of-image");
        File.WriteAllText(Path.Join(_root, "etc/group-of-image"), "imagegroup:x:4444:image-only\n");

        var resolved = PasswdDatabase.Load(_root).Resolve("image-only");
        Assert.Equal(new UserIdentity(4321, 4321, [4444]), resolved.Identity);
        Assert.Equal("/srv", resolved.Home);
    }

    [Fact]
    public void LoadOfARootFileSystemWithoutTheFilesIsEmpty()
    {
        var database = PasswdDatabase.Load(_root);
        Assert.Empty(database.Users);
        Assert.Empty(database.Groups);
        var error = Assert.Throws<UserLookupException>(() => database.Resolve("app"));
        Assert.Equal($"User 'app' is not in {_root}/etc/passwd (the file does not exist).", error.Message);
    }

    [Fact]
    public void LoadRefusesADirectory()
    {
        Directory.CreateDirectory(Path.Join(_root, "etc/passwd"));
        var error = Assert.Throws<IOException>(() => PasswdDatabase.Load(_root));
        Assert.Equal($"{_root}/etc/passwd is not a regular file.", error.Message);
    }

    [Fact]
    public unsafe void LoadRefusesAFifoWithoutWaitingForAWriter()
    {
        // A plain open of a FIFO blocks until someone writes; an image could plant one to hang the host.
        Directory.CreateDirectory(Path.Join(_root, "etc"));
        fixed (byte* path = System.Text.Encoding.UTF8.GetBytes(Path.Join(_root, "etc/group") + "\0"))
            Assert.Equal(0, Tmds.Linux.LibC.mkfifo(path, 0x1a4));

        var error = Assert.Throws<IOException>(() => PasswdDatabase.Load(_root));
        Assert.Equal($"{_root}/etc/group is not a regular file.", error.Message);
    }
}
