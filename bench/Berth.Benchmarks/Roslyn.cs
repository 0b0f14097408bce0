using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Berth.Benchmarks;

/// <summary>Compilations and generator drivers set up the way the compiler runs generators, on in-memory files.</summary>
internal static class Roslyn
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> s_references =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(Berth.Host.StackDefinition).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Hosting.IHostApplicationBuilder).Assembly.Location),
    ];

    public static SyntaxTree Parse(string path, string text) =>
        CSharpSyntaxTree.ParseText(SourceText.From(text), ParseOptions, path);

    public static CSharpCompilation CreateCompilation(string name, OutputKind kind, IEnumerable<SyntaxTree> trees) =>
        CSharpCompilation.Create(
            name,
            trees,
            s_references,
            new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>A driver as the compiler creates it: no step tracking, the project's global build properties.</summary>
    public static GeneratorDriver CreateDriver(
        ImmutableArray<ISourceGenerator> generators,
        ImmutableArray<AdditionalText> additionalTexts,
        IReadOnlyDictionary<string, string> globalOptions) =>
        CSharpGeneratorDriver.Create(
            generators,
            additionalTexts,
            ParseOptions,
            new InMemoryOptionsProvider(globalOptions),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    /// <summary>
    /// The System.Text.Json source generator of the installed .NET SDK (the one the compiler uses for net10.0
    /// projects), loaded from the targeting pack's analyzers folder.
    /// </summary>
    public static ImmutableArray<ISourceGenerator> LoadSystemTextJsonGenerator(out string path)
    {
        path = FindSystemTextJsonGenerator();
        var reference = new AnalyzerFileReference(path, new DefaultContextLoader());
        var failures = new List<string>();
        reference.AnalyzerLoadFailed += (_, e) => failures.Add($"{e.ErrorCode}: {e.Message} {e.Exception}");
        var generators = reference.GetGenerators(LanguageNames.CSharp);
        if (generators.IsEmpty || failures.Count > 0)
        {
            throw new InvalidOperationException(
                $"Could not load the System.Text.Json source generator from {path}: {(failures.Count > 0 ? string.Join("; ", failures) : "it holds no C# generator")}");
        }

        return generators;
    }

    private static string FindSystemTextJsonGenerator()
    {
        // The runtime directory is DOTNET_ROOT/shared/Microsoft.NETCore.App/VERSION/; the packs sit beside shared/.
        var roots = new List<string>();
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } dotnetRoot)
        {
            roots.Add(dotnetRoot);
        }

        roots.Add(Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..")));
        roots.Add("/usr/share/dotnet");
        roots.Add("/usr/lib/dotnet");

        var searched = new List<string>();
        foreach (var root in roots.Distinct(StringComparer.Ordinal))
        {
            var packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
            searched.Add(packs);
            if (!Directory.Exists(packs))
            {
                continue;
            }

            var candidate = Directory.GetDirectories(packs, "10.*")
                .Select(directory => (Directory: directory, Version: Version.TryParse(Path.GetFileName(directory).Split('-')[0], out var v) ? v : null))
                .Where(d => d.Version is not null)
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Directory, "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll"))
                .FirstOrDefault(File.Exists);
            if (candidate is not null)
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            "System.Text.Json.SourceGeneration.dll was not found in a .NET 10 targeting pack (packs/Microsoft.NETCore.App.Ref/10.*/analyzers/dotnet/cs/). "
            + $"Searched: {string.Join(", ", searched)}. Install the .NET 10 SDK or set DOTNET_ROOT.");
    }

    /// <summary>Loads analyzer assemblies into the default context, where this process's Roslyn already is.</summary>
    private sealed class DefaultContextLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
    }
}

/// <summary>An additional file held in memory; its text is made once, as the compiler reads a file once per build.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

internal sealed class InMemoryOptionsProvider(IReadOnlyDictionary<string, string> global) : AnalyzerConfigOptionsProvider
{
    private static readonly InMemoryOptions s_empty = new(new Dictionary<string, string>());

    public override AnalyzerConfigOptions GlobalOptions { get; } = new InMemoryOptions(global);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => s_empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => s_empty;

    private sealed class InMemoryOptions(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}
