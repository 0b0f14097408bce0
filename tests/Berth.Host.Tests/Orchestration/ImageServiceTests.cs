using Berth.Host.Orchestration;
using Berth.Runtime.Images;
using Berth.Runtime.Tests;
using Berth.Runtime.Tests.Images;

namespace Berth.Host.Tests.Orchestration;

/// <summary>
/// Services whose image is an OCI layout or archive: <c>up</c> stores the image, runs it as its config says
/// (entry point, command, environment, user, working directory, exposed port), with the stack's overrides.
/// </summary>
public sealed class ImageServiceTests
{
    private const string Script = "echo \"$GREETING from $(pwd) as $(id -u)\"; exec sleep 1000";

    [RequiresToolFact("umoci", "umoci")]
    public async Task AnOciLayoutRunsAsItsConfigSaysAndTheStackOverridesArgsAndEnvironment()
    {
        await using var stack = new OrchestratedStack(
            "images",
            new ServiceDefinition { Name = "web", Image = "oci:./layout:bb", StopGracePeriod = TimeSpan.FromMilliseconds(100) },
            new ServiceDefinition
            {
                Name = "custom",
                Image = "oci:./layout:bb",
                Args = ["echo \"$GREETING\" in $(pwd); exec sleep 1000"],
                Env = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("GREETING", "overridden")]),
                User = "4242",
                Port = 9000,
                StopGracePeriod = TimeSpan.FromMilliseconds(100),
            });
        CreateLayout(stack);

        await stack.StartAsync();

        await stack.Output.WaitForAsync("web-1 | hello from /etc as 1000");
        await stack.Output.WaitForAsync("custom-1 | overridden in /etc");
        Assert.Equal(8080, stack.Orchestrator.Stack.GetService("web")!.Port);
        Assert.Equal(9000, stack.Orchestrator.Stack.GetService("custom")!.Port);
        var store = new ImageStore(stack.Options.StateDirectory);
        Assert.Single(store.List());
        await stack.StopAsync();
        stack.AssertNothingLeft();
    }

    [RequiresToolFact("skopeo", "skopeo")]
    public async Task AnArchiveIsImportedOnceAndAMissingLayoutFailsTheStartNamingTheService()
    {
        await using (var stack = new OrchestratedStack(
            "archive",
            new ServiceDefinition { Name = "web", Image = "oci-archive:./bb.tar", StopGracePeriod = TimeSpan.FromMilliseconds(100) }))
        {
            CreateLayout(stack);
            TestImages.Run(RequiredTool.Find("skopeo", "skopeo"), "copy", "--quiet", $"oci:{Path.Combine(stack.StackDirectory, "layout")}:bb", $"oci-archive:{Path.Combine(stack.StackDirectory, "bb.tar")}");

            await stack.StartAsync();

            await stack.Output.WaitForAsync("web-1 | hello from /etc as 1000");
            var record = new ImageStore(stack.Options.StateDirectory).FindRecord("oci-archive:" + Path.Combine(stack.StackDirectory, "bb.tar"));
            Assert.NotNull(record?.SourceStamp);
            await stack.StopAsync();
        }

        await using var broken = new OrchestratedStack("broken", new ServiceDefinition { Name = "web", Image = "oci:./nowhere" });
        var error = await Assert.ThrowsAsync<StackStartException>(broken.StartAsync);
        Assert.Contains("Service 'web'", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not an OCI image layout: it has no oci-layout file", error.Message, StringComparison.Ordinal);
        broken.AssertNothingLeft();
    }

    [RequiresToolFact("docker-registry", "docker-registry")]
    public async Task ARegistryImageIsPulledByUpAndByTheImageVerbAndAMissingOneFailsTheStartNamingRegistryAndStatus()
    {
        var storage = Directory.CreateTempSubdirectory("berth-registry-").FullName;
        try
        {
            using var registry = new DockerRegistry(storage);
            var reference = $"{registry.Host}/berth/bb:1";
            await using var stack = new OrchestratedStack("pulled", new ServiceDefinition { Name = "web", Image = reference, StopGracePeriod = TimeSpan.FromMilliseconds(100) });
            CreateLayout(stack);
            TestImages.Run(RequiredTool.Find("skopeo", "skopeo"), "copy", "--quiet", "--dest-tls-verify=false", $"oci:{Path.Combine(stack.StackDirectory, "layout")}:bb", $"docker://{reference}");

            await stack.StartAsync();
            await stack.Output.WaitForAsync("web-1 | hello from /etc as 1000");
            await stack.StopAsync();
            var record = new ImageStore(stack.Options.StateDirectory).FindRecord(reference);
            var (pulled, pull) = await RunAsync("image", "pull", reference, "--state-directory", stack.Options.StateDirectory);

            Assert.NotNull(record);
            Assert.Equal(0, pulled);
            Assert.Contains($"{reference}\t{record.ManifestDigest}", pull, StringComparison.Ordinal);
            Assert.DoesNotContain("downloading", pull, StringComparison.Ordinal);   // everything was in the store already
            Assert.Contains(": ready", pull, StringComparison.Ordinal);

            await using var missing = new OrchestratedStack("missing", new ServiceDefinition { Name = "web", Image = $"{registry.Host}/berth/none" });
            var error = await Assert.ThrowsAsync<StackStartException>(missing.StartAsync);
            Assert.Contains("Service 'web'", error.Message, StringComparison.Ordinal);
            Assert.Contains($"The registry {registry.Host} refused the manifest latest of {registry.Host}/berth/none:latest (HTTP 404", error.Message, StringComparison.Ordinal);
            missing.AssertNothingLeft();
        }
        finally
        {
            Directory.Delete(storage, recursive: true);
        }
    }

    [RequiresToolFact("docker-registry", "docker-registry")]
    public async Task APrivateRegistryImageIsPulledByUpAndByTheImageVerbWithTheLoginFilesCredentials()
    {
        var storage = Directory.CreateTempSubdirectory("berth-registry-").FullName;
        try
        {
            using var registry = new DockerRegistry(storage, RegistryLogin.HtpasswdConfig(storage));
            var reference = $"{registry.Host}/berth/private:1";
            var authFile = RegistryLogin.WriteAuthFile(
                Path.Combine(storage, "auth.json"), new Dictionary<string, (string, string)> { [registry.Host] = (RegistryLogin.UserName, RegistryLogin.Password) });
            await using var anonymous = new OrchestratedStack("anonymous", new ServiceDefinition { Name = "web", Image = reference });
            anonymous.Options.HostVariable = name => name == "HOME" ? storage : null;
            await using var stack = new OrchestratedStack("private", new ServiceDefinition { Name = "web", Image = reference, StopGracePeriod = TimeSpan.FromMilliseconds(100) });
            stack.Options.HostVariable = name => name switch { "REGISTRY_AUTH_FILE" => authFile, "HOME" => storage, _ => null };
            CreateLayout(stack);
            TestImages.Run(
                RequiredTool.Find("skopeo", "skopeo"), "copy", "--quiet", "--dest-tls-verify=false", $"--dest-creds={RegistryLogin.UserName}:{RegistryLogin.Password}",
                $"oci:{Path.Combine(stack.StackDirectory, "layout")}:bb", $"docker://{reference}");

            var refused = await Assert.ThrowsAsync<StackStartException>(anonymous.StartAsync);
            await stack.StartAsync();
            await stack.Output.WaitForAsync("web-1 | hello from /etc as 1000");
            await stack.StopAsync();
            int pulled;
            string pull;
            System.Environment.SetEnvironmentVariable("REGISTRY_AUTH_FILE", authFile);
            try
            {
                (pulled, pull) = await RunAsync("image", "pull", reference, "--state-directory", anonymous.Options.StateDirectory);
            }
            finally
            {
                System.Environment.SetEnvironmentVariable("REGISTRY_AUTH_FILE", null);
            }

            Assert.Contains("Service 'web'", refused.Message, StringComparison.Ordinal);
            Assert.Contains($"asks for a user name and password to pull {reference} (HTTP 401, basic auth); log in with `podman login {registry.Host}`", refused.Message, StringComparison.Ordinal);
            anonymous.AssertNothingLeft();
            Assert.Equal(0, pulled);
            Assert.Contains(": downloading", pull, StringComparison.Ordinal);
            Assert.Contains($"{reference}\t{new ImageStore(stack.Options.StateDirectory).FindRecord(reference)!.ManifestDigest}", pull, StringComparison.Ordinal);
            Assert.DoesNotContain(RegistryLogin.Password, pull, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(storage, recursive: true);
        }
    }

    [RequiresToolFact("umoci", "umoci")]
    public async Task TheImageVerbListsRemovesAndPrunes()
    {
        await using var stack = new OrchestratedStack("verb", new ServiceDefinition { Name = "web", Image = "oci:./layout:bb", StopGracePeriod = TimeSpan.FromMilliseconds(100) });
        CreateLayout(stack);
        await stack.StartAsync();
        await stack.StopAsync();
        var name = "oci:" + Path.Combine(stack.StackDirectory, "layout") + ":bb";
        var state = stack.Options.StateDirectory;

        var (listed, list) = await RunAsync("image", "ls", "--state-directory", state);
        var (removed, _) = await RunAsync("image", "rm", name, "--state-directory", state);
        var (again, _) = await RunAsync("image", "rm", name, "--state-directory", state);
        var (pruned, prune) = await RunAsync("image", "prune", "--state-directory", state);

        Assert.Equal((0, 0, 1, 0), (listed, removed, again, pruned));
        Assert.StartsWith(name + "\tsha256:", list, StringComparison.Ordinal);
        Assert.StartsWith("Deleted 1 layer(s) and 3 blob(s)", prune, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Path.Combine(state, "images", "layers")));
    }

    [Fact]
    public async Task ImageLsSaysWhichNameFileItCannotRead()
    {
        var state = Directory.CreateTempSubdirectory("berth-image-ls-").FullName;
        try
        {
            var broken = Path.Combine(Directory.CreateDirectory(Path.Combine(state, "images", "names")).FullName, "0000.json");
            await File.WriteAllTextAsync(broken, "{ broken");

            var (exitCode, output) = await RunAsync("image", "ls", "--state-directory", state);

            Assert.Equal(0, exitCode);
            Assert.StartsWith($"The image name file {broken} cannot be read", output, StringComparison.Ordinal);
            Assert.Contains("remove it, then pull or import its image again", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await StackCommandLine.RunAsync(TestStacks.Shop, args, output, error);
        return (exitCode, output.ToString() + error);
    }

    private static void CreateLayout(OrchestratedStack stack)
    {
        var scratch = Directory.CreateTempSubdirectory("berth-umoci-").FullName;
        try
        {
            TestImages.CreateWithUmoci(
                Path.Combine(stack.StackDirectory, "layout"),
                scratch,
                "--config.entrypoint=/bin/sh",
                "--config.entrypoint=-c",
                $"--config.cmd={Script}",
                "--config.env=GREETING=hello",
                "--config.workingdir=/etc",
                "--config.user=1000",
                "--config.exposedports=8080/tcp");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
