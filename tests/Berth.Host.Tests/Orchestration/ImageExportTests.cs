using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Berth.Host.Orchestration;
using Berth.Runtime.Images;
using Berth.Runtime.Tests;
using Berth.Runtime.Tests.Images;

namespace Berth.Host.Tests.Orchestration;

/// <summary>
/// A .NET app exported as an OCI image (the test backend over the base made from this host's .NET runtime and
/// libraries): other tools read it (skopeo), unpack it (umoci) and run it (runc), Berth stores and runs it, and two
/// exports are the same bytes.
/// </summary>
public sealed class ImageExportTests : IDisposable
{
    private const string Entry = "Berth.Host.TestBackend.dll";

    private readonly string _root = Directory.CreateTempSubdirectory("berth-export-").FullName;

    [RequiresToolFact("skopeo", "skopeo")]
    public async Task SkopeoReadsTheExportedLayoutAndItsConfig()
    {
        var layout = Path.Combine(_root, "layout");
        await ExportAsync(layout, archive: false);

        var inspected = JsonNode.Parse(TestImages.Run(RequiredTool.Find("skopeo", "skopeo"), "inspect", "--config", $"oci:{layout}:1.0"))!;
        var config = inspected["config"]!;
        Assert.Equal(["dotnet", "/app/" + Entry], config["Entrypoint"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("1654", config["User"]!.GetValue<string>());
        Assert.Equal("/app", config["WorkingDir"]!.GetValue<string>());
        Assert.NotNull(config["ExposedPorts"]!["8080/tcp"]);
        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", config["Env"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(2, inspected["rootfs"]!["diff_ids"]!.AsArray().Count);

        var overview = JsonNode.Parse(TestImages.Run(RequiredTool.Find("skopeo", "skopeo"), "inspect", $"oci:{layout}:1.0"))!;
        Assert.Equal(2, overview["Layers"]!.AsArray().Count);
    }

    // runc rather than crun: crun 1.8 refuses hosts with cgroups in hybrid mode, as this one's may be.
    [RequiresToolFact("runc", "runc")]
    public async Task UmociUnpacksTheImageAndRuncRunsItWithNothingOfTheHost()
    {
        var layout = Path.Combine(_root, "layout");
        await ExportAsync(layout, archive: false);
        var bundle = Path.Combine(_root, "bundle");
        TestImages.Run(RequiredTool.Find("umoci", "umoci"), "unpack", "--image", layout + ":1.0", bundle);

        // umoci's runtime spec as the image says (args, env, user, cwd, its own namespaces, network included), not
        // attached to a terminal; the backend's job mode prints and exits with the code it is given.
        var specPath = Path.Combine(bundle, "config.json");
        var spec = JsonNode.Parse(File.ReadAllText(specPath))!;
        spec["process"]!["terminal"] = false;
        spec["process"]!["env"]!.AsArray().Add("BACKEND_EXIT_CODE=7");
        Assert.Contains(spec["linux"]!["namespaces"]!.AsArray(), n => n!["type"]!.GetValue<string>() == "network");
        File.WriteAllText(specPath, spec.ToJsonString());

        var (code, output) = Run(RequiredTool.Find("runc", "runc"), "run", "--bundle", bundle, "berth-export-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.True(code == 7, $"runc exited with {code}: {output}");
        Assert.Contains("exiting with code 7", output, StringComparison.Ordinal);
    }

    [RequiresToolFact("skopeo", "skopeo")]
    public async Task TwoExportsAreTheSameBytesAndTheArchiveIsTheLayoutInATar()
    {
        var first = Path.Combine(_root, "first");
        var second = Path.Combine(_root, "second");
        var firstManifest = await ExportAsync(first, archive: false);
        var secondManifest = await ExportAsync(second, archive: false);

        Assert.Equal(firstManifest.Digest, secondManifest.Digest);
        var files = Directory.EnumerateFiles(first, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(first, f)).Order().ToList();
        Assert.Equal(files, Directory.EnumerateFiles(second, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(second, f)).Order());
        foreach (var file in files)
            Assert.True(File.ReadAllBytes(Path.Combine(first, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second, file))), $"{file} differs between two exports.");

        var archive = Path.Combine(_root, "image.tar");
        var archived = await ExportAsync(archive, archive: true);
        var again = Path.Combine(_root, "again.tar");
        await ExportAsync(again, archive: true);
        Assert.Equal(firstManifest.Digest, archived.Digest);
        Assert.True(File.ReadAllBytes(archive).AsSpan().SequenceEqual(File.ReadAllBytes(again)), "Two archives of the same export differ.");
        TestImages.Run(RequiredTool.Find("skopeo", "skopeo"), "inspect", $"oci-archive:{archive}");
    }

    [Fact]
    public async Task TheExportedArchiveImportsIntoTheStoreAndRunsAsABerthContainer()
    {
        await using var stack = new OrchestratedStack(
            "exported",
            new ServiceDefinition
            {
                Name = "job",
                Image = "oci-archive:./image.tar",
                Env = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("BACKEND_EXIT_CODE", "0")]),
                StopGracePeriod = TimeSpan.FromMilliseconds(100),
            });
        await ExportAsync(Path.Combine(stack.StackDirectory, "image.tar"), archive: true);

        await stack.StartAsync();

        await stack.Output.WaitForAsync("job-1 | exiting with code 0");
        Assert.Equal(8080, stack.Orchestrator.Stack.GetService("job")!.Port);
        await stack.StopAsync();
        stack.AssertNothingLeft();
    }

    [RequiresToolFact("skopeo", "skopeo")]
    public void TheVerbExportsTheHelloStacksGreeterAndAnotherOverItAsBase()
    {
        var layout = Path.Combine(_root, "greeter");
        var (code, output) = RunHelloStack("image", "export", "greeter", "-o", layout, "--tag", "1.0", "-e", "prod");
        Assert.True(code == 0, output);
        Assert.Contains($"Wrote oci:{layout}:1.0 (sha256:", output, StringComparison.Ordinal);
        var config = JsonNode.Parse(TestImages.Run(RequiredTool.Find("skopeo", "skopeo"), "inspect", "--config", $"oci:{layout}:1.0"))!;
        Assert.Equal("/app/Greeter.dll", config["config"]!["Entrypoint"]![1]!.GetValue<string>());

        // Over a base (here the image just written, which has a .NET runtime): its layers as they are, then the app's.
        var archive = Path.Combine(_root, "over-base.tar");
        (code, output) = RunHelloStack("image", "export", "greeter", "-o", archive, "--base", $"oci:{layout}:1.0", "--state-directory", Path.Combine(_root, "state"));
        Assert.True(code == 0, output);
        Assert.Contains($"Wrote oci-archive:{archive} (sha256:", output, StringComparison.Ordinal);
        var layers = JsonNode.Parse(TestImages.Run(RequiredTool.Find("skopeo", "skopeo"), "inspect", $"oci-archive:{archive}"))!["Layers"]!.AsArray();
        Assert.Equal(3, layers.Count);

        (code, output) = RunHelloStack("image", "export", "nosuch", "-o", archive);
        Assert.Equal(2, code);
        Assert.Contains("no service named 'nosuch'", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The backend's own files (not the test assemblies beside them) as the app directory, exported.</summary>
    private async Task<OciDescriptor> ExportAsync(string output, bool archive)
    {
        var app = Path.Combine(_root, "app");
        if (!Directory.Exists(app))
        {
            Directory.CreateDirectory(app);
            foreach (var file in new[] { Entry, "Berth.Host.TestBackend.runtimeconfig.json", "Berth.Host.TestBackend.deps.json" })
                File.Copy(Path.Combine(AppContext.BaseDirectory, file), Path.Combine(app, file));
        }

        var layers = DotnetImage.Layers(app, Entry, withBase: false);
        var config = DotnetImage.RunConfig(Entry, 8080, http: true);
        return archive
            ? await OciImageWriter.WriteArchiveAsync(output, "1.0", null, layers, config)
            : await OciImageWriter.WriteLayoutAsync(output, "1.0", null, layers, config);
    }

    /// <summary>The built example stack's command line, as <c>dotnet run --project examples/hello/HelloStack -- ARGS</c> runs it.</summary>
    private static (int Code, string Output) RunHelloStack(params string[] arguments)
    {
        var assembly = typeof(ImageExportTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HelloStackAssembly").Value!;
        return Run("dotnet", [assembly, .. arguments]);
    }

    private static (int Code, string Output) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
