using System.Reflection;
using System.Security;

namespace Berth.Packaging.Tests;

/// <summary>
/// Packs this checkout's Berth.Host once into a local folder feed and prepares a directory outside the repository
/// where stack projects consume it as users do: a <c>PackageReference</c> restored from that feed, with the
/// default feeds still in place for the package's dependencies.
/// </summary>
/// <remarks>
/// The package gets a version of its own so that no NuGet cache can serve an older build, and the consumers
/// restore into a global packages folder of their own; the user's folder is a read-only fallback for everything
/// else, so nothing is downloaded twice and nothing is left behind.
/// </remarks>
public sealed class PackedHostFixture : IAsyncLifetime
{
    public PackedHostFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), $"berth-packaging-{Guid.NewGuid():N}");
        Version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
    }

    public static string RepoRoot { get; } = Path.GetFullPath(
        typeof(PackedHostFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BerthRepoRoot").Value!);

    /// <summary>Everything the fixture creates lives under this temporary directory.</summary>
    public string Root { get; }

    /// <summary>The version the package is packed with.</summary>
    public string Version { get; }

    /// <summary>The local folder feed holding the package.</summary>
    public string Feed => Path.Combine(Root, "feed");

    /// <summary>The packed <c>.nupkg</c>.</summary>
    public string PackagePath => Path.Combine(Feed, $"Berth.Host.{Version}.nupkg");

    /// <summary>Where the stack projects live: outside the repository, so none of its Directory.Build files apply.</summary>
    public string Projects => Path.Combine(Root, "projects");

    /// <summary>The global packages folder the stack projects restore into.</summary>
    public string PackagesFolder => Path.Combine(Root, "packages");

    /// <summary>Where restore installs the package for the stack projects.</summary>
    public string InstalledPackage => Path.Combine(PackagesFolder, "berth.host", Version.ToLowerInvariant());

    /// <summary>The service project the valid stacks refer to.</summary>
    public string ServiceProject => Path.Combine(Projects, "Svc", "Svc.csproj");

    public async Task InitializeAsync()
    {
        if (IsUnder(Root, RepoRoot))
        {
            throw new InvalidOperationException($"The temporary directory {Root} is inside the repository; set TMPDIR to a directory outside it.");
        }

        Directory.CreateDirectory(Feed);
        Directory.CreateDirectory(Projects);

        // Built under Root (ArtifactsPath), so packing neither reads nor disturbs this checkout's bin and obj.
        var pack = await DotnetCli.RunAsync(RepoRoot,
        [
            "pack", Path.Combine(RepoRoot, "src", "Host", "Berth.Host.csproj"),
            "-c", "Release",
            "-o", Feed,
            $"-p:Version={Version}",
            $"-p:ArtifactsPath={Path.Combine(Root, "artifacts")}{Path.DirectorySeparatorChar}",
            "-nodeReuse:false", "-tl:off",
        ]);
        if (!pack.Succeeded || !File.Exists(PackagePath))
        {
            throw new InvalidOperationException($"Packing Berth.Host failed or made no {PackagePath}.{Environment.NewLine}{pack}");
        }

        // The user's global packages folder, asked before the projects directory gets a nuget.config of its own.
        var locals = await DotnetCli.RunAsync(Root, ["nuget", "locals", "global-packages", "--list"]);
        const string prefix = "global-packages:";
        var userPackages = locals.StandardOutput.Split('\n')
            .Select(line => line.Trim())
            .FirstOrDefault(line => line.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..].Trim();

        Write("Directory.Build.props", "<Project />\n");
        Write("Directory.Build.targets", "<Project />\n");
        Write("Directory.Packages.props", "<Project />\n");
        var fallback = userPackages is { Length: > 0 } && Directory.Exists(userPackages)
            ? $"""

                <fallbackPackageFolders>
                  <add key="user-packages" value="{Xml(userPackages)}" />
                </fallbackPackageFolders>
              """
            : "";
        Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Xml(PackagesFolder)}" />
              </config>
              <!-- No <clear />: the default feeds stay for Berth.Host's dependencies. -->
              <packageSources>
                <add key="berth-local" value="{Xml(Feed)}" />
              </packageSources>{fallback}
            </configuration>
            """);
        Write(Path.Combine("Svc", "Svc.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
            </Project>
            """);
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Creates <c>projects/NAME/NAME.csproj</c>: an executable with a stack.toml (and <paramref name="program"/> as
    /// Program.cs if given) whose only reference is the Berth.Host package.
    /// </summary>
    public StackProject CreateStackProject(string name, string stackToml, string? program = null, string? rootNamespace = null)
    {
        var rootNamespaceProperty = rootNamespace is null ? "" : $"\n    <RootNamespace>{rootNamespace}</RootNamespace>";
        WriteExecutable(name, rootNamespaceProperty, $"<PackageReference Include=\"Berth.Host\" Version=\"{Version}\" />", program);
        Write(Path.Combine(name, "stack.toml"), stackToml);
        return new StackProject(this, Path.Combine(Projects, name));
    }

    /// <summary>Writes a file under the projects directory, e.g. a service project below a stack project.</summary>
    public void WriteProjectFile(string relativePath, string content) => Write(relativePath, content);

    /// <summary>
    /// Creates <c>projects/NAME/NAME.csproj</c>: an executable with <paramref name="program"/> as Program.cs whose only
    /// reference is a project reference to the stack project <paramref name="stackProject"/>, as a user's test project has.
    /// </summary>
    public StackProject CreateReferencingProject(string name, string stackProject, string program)
    {
        WriteExecutable(name, "", $"<ProjectReference Include=\"../{stackProject}/{stackProject}.csproj\" />", program);
        return new StackProject(this, Path.Combine(Projects, name));
    }

    /// <summary>Creates <c>projects/NAME/NAME.csproj</c> with <paramref name="projectFile"/> as its content, and <paramref name="files"/> beside it.</summary>
    public void CreateProject(string name, string projectFile, params (string Name, string Text)[] files)
    {
        Write(Path.Combine(name, $"{name}.csproj"), projectFile);
        foreach (var (file, text) in files)
        {
            Write(Path.Combine(name, file), text);
        }
    }

    internal IReadOnlyDictionary<string, string?> ConsumerEnvironment => new Dictionary<string, string?>
    {
        // Overrides any NUGET_PACKAGES of the user, which would win over nuget.config.
        ["NUGET_PACKAGES"] = PackagesFolder,
    };

    private void WriteExecutable(string name, string extraProperties, string reference, string? program)
    {
        Write(Path.Combine(name, $"{name}.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>{extraProperties}
              </PropertyGroup>
              <ItemGroup>
                {reference}
              </ItemGroup>
            </Project>
            """);
        if (program is not null)
        {
            Write(Path.Combine(name, "Program.cs"), program);
        }
    }

    private void Write(string relativePath, string content)
    {
        var path = Path.Combine(Projects, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.ReplaceLineEndings("\n"));
    }

    private static string Xml(string value) => SecurityElement.Escape(value);

    private static bool IsUnder(string path, string directory) =>
        Path.GetFullPath(path).StartsWith(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}

/// <summary>A stack project created by <see cref="PackedHostFixture"/>.</summary>
public sealed class StackProject
{
    private readonly PackedHostFixture _fixture;

    internal StackProject(PackedHostFixture fixture, string directory)
    {
        _fixture = fixture;
        Directory = directory;
    }

    public string Directory { get; }

    public string StackFile => Path.Combine(Directory, "stack.toml");

    /// <summary><c>dotnet build</c> with restore, from the project's directory.</summary>
    internal Task<DotnetResult> BuildAsync(params string[] arguments) =>
        DotnetCli.RunAsync(Directory, ["build", "-nodeReuse:false", "-tl:off", .. arguments], _fixture.ConsumerEnvironment);

    /// <summary><c>dotnet run --no-build -- ARGS</c>, from the project's directory.</summary>
    internal Task<DotnetResult> RunAsync(IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        var merged = new Dictionary<string, string?>(_fixture.ConsumerEnvironment);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            merged[name] = value;
        }

        return DotnetCli.RunAsync(Directory, ["run", "--no-build", "--", .. arguments], merged);
    }

    /// <summary>The list the ResolveStackFiles task wrote: the files stack.toml refers to that exist.</summary>
    public string ReadExistingFilesList()
    {
        var lists = System.IO.Directory.GetFiles(Path.Combine(Directory, "obj"), "berth.existing-files", SearchOption.AllDirectories);
        Assert.True(lists.Length == 1, $"Expected one berth.existing-files under {Directory}/obj, found: {string.Join(", ", lists)}");
        return File.ReadAllText(lists[0]);
    }
}
