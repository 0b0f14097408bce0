using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

/// <summary>Credentials found where podman, skopeo and docker login keep them, in their order, and never quoted in errors.</summary>
public sealed class RegistryAuthFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("berth-auth-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TheFilesAreThoseOfTheContainerToolsInTheirOrder()
    {
        var variables = new Dictionary<string, string>
        {
            ["REGISTRY_AUTH_FILE"] = "/etc/berth/auth.json",
            ["XDG_RUNTIME_DIR"] = "/run/user/1000",
            ["HOME"] = "/home/me",
        };

        var files = RegistryAuthFiles.FromEnvironment(name => variables.GetValueOrDefault(name));
        variables["XDG_CONFIG_HOME"] = "/home/me/cfg";
        variables["DOCKER_CONFIG"] = "/home/me/dockercfg";
        var moved = RegistryAuthFiles.FromEnvironment(name => variables.GetValueOrDefault(name));

        Assert.Equal(["/etc/berth/auth.json", "/run/user/1000/containers/auth.json", "/home/me/.config/containers/auth.json", "/home/me/.docker/config.json"], files.Paths);
        Assert.Equal(["/etc/berth/auth.json", "/run/user/1000/containers/auth.json", "/home/me/cfg/containers/auth.json", "/home/me/dockercfg/config.json"], moved.Paths);
    }

    [Fact]
    public void TheFirstFileWithAnEntryWinsAndInAFileTheMostSpecificKey()
    {
        var first = RegistryLogin.WriteAuthFile(Path.Combine(_directory, "auth.json"), new Dictionary<string, (string, string)>
        {
            ["reg.example:5000"] = ("registry-wide", "p1"),
            ["reg.example:5000/team"] = ("team", "p2"),
            ["reg.example:5000/team/app"] = ("app", "p3"),
        });
        var docker = RegistryLogin.WriteAuthFile(Path.Combine(_directory, "docker", "config.json"), new Dictionary<string, (string, string)>
        {
            ["https://index.docker.io/v1/"] = ("hub-user", "hub:pass:with:colons"),
            ["reg.example:5000"] = ("shadowed", "never"),
        });
        var files = new RegistryAuthFiles([Path.Combine(_directory, "missing.json"), first, docker]);

        var app = files.Find(ImageReference.Parse("reg.example:5000/team/app:1"));
        var other = files.Find(ImageReference.Parse("reg.example:5000/team/other:1"));
        var prefixOnly = files.Find(ImageReference.Parse("reg.example:5000/teamster/x"));
        var hub = files.Find(ImageReference.Parse("redis:7"));

        Assert.Equal(("app", "p3", first), (app!.UserName, app.Password, app.Source));
        Assert.Equal("team", other!.UserName);
        Assert.Equal("registry-wide", prefixOnly!.UserName);   // "team" is no namespace of "teamster"
        Assert.Equal(("hub-user", "hub:pass:with:colons", docker), (hub!.UserName, hub.Password, hub.Source));
        Assert.Null(files.Find(ImageReference.Parse("ghcr.io/org/app:1")));
        Assert.Equal("hub-user:***", hub.ToString());
    }

    [Fact]
    public void ACredentialHelperThatIsTheOnlySourceIsNamedInTheFix()
    {
        var docker = Path.Combine(_directory, "config.json");
        RegistryLogin.WriteAuthFile(docker, new Dictionary<string, (string, string)>(), new Dictionary<string, object>
        {
            ["credHelpers"] = new Dictionary<string, string> { ["ghcr.io"] = "gh", ["https://index.docker.io/v1/"] = "desktop" },
        });
        var files = new RegistryAuthFiles([docker]);
        var ghcr = ImageReference.Parse("ghcr.io/org/app:1");

        Assert.Null(files.Find(ghcr));
        Assert.Contains($"{docker} leaves the credentials for ghcr.io to the credential helper docker-credential-gh, which Berth does not run", files.MissingCredentialsFix(ghcr), StringComparison.Ordinal);
        Assert.Contains("docker-credential-desktop", files.MissingCredentialsFix(ImageReference.Parse("redis")), StringComparison.Ordinal);
        Assert.Equal($"log in with `podman login quay.io`, `skopeo login quay.io` or `docker login quay.io`; Berth reads {docker}", files.MissingCredentialsFix(ImageReference.Parse("quay.io/a/b")));
    }

    [Fact]
    public void AMalformedFileOrEntryIsReportedWithoutQuotingIt()
    {
        const string Secret = "hunter2-do-not-print";
        var notJson = Path.Combine(_directory, "broken.json");
        File.WriteAllText(notJson, "{\"auths\": {\"reg.example\": {\"auth\": " + Secret + "}}}");
        var notBase64 = Path.Combine(_directory, "auth.json");
        File.WriteAllText(notBase64, "{\"auths\": {\"reg.example\": {\"auth\": \"" + Secret + "!\"}}}");
        var noColon = RegistryLogin.WriteAuthFile(Path.Combine(_directory, "nocolon.json"), new Dictionary<string, (string, string)> { ["reg.example"] = ("", Secret) });
        var reference = ImageReference.Parse("reg.example/app");

        var errors = new[] { notJson, notBase64, noColon }.Select(file => Assert.Throws<RegistryException>(() => new RegistryAuthFiles([file]).Find(reference))).ToList();

        Assert.Contains($"The registry credentials file {notJson} is not valid JSON (line 1, byte ", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains($"The entry \"reg.example\" of {notBase64} (for reg.example) has an \"auth\" that is not base64 of user:password", errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("no user name and ':'", errors[2].Message, StringComparison.Ordinal);
        Assert.All(errors, e => Assert.DoesNotContain("hunter2", e.ToString(), StringComparison.Ordinal));

        // Another registry's pull never reads the broken entry's value.
        Assert.Null(new RegistryAuthFiles([notBase64]).Find(ImageReference.Parse("other.example/app")));
    }
}
