using System.Collections.Immutable;
using Berth.Generator;
using Berth.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Berth.Generator.Tests;

/// <summary>Runs <see cref="StackGenerator"/> the way the compiler does, on in-memory files.</summary>
internal static class GeneratorHarness
{
    public const string DefaultPath = "/stacks/shop/stack.toml";

    private static readonly ImmutableArray<MetadataReference> s_references =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(Berth.Host.StackDefinition).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Hosting.IHostApplicationBuilder).Assembly.Location),
    ];

    public static GeneratorOutcome Run(
        string stackToml,
        string path = DefaultPath,
        IEnumerable<string>? existingFiles = null,
        string? rootNamespace = "Shop",
        OutputKind outputKind = OutputKind.ConsoleApplication,
        params string[] sources)
    {
        var driver = CreateDriver(stackToml, path, existingFiles, rootNamespace);
        var compilation = CreateCompilation(outputKind, sources);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var result = driver.GetRunResult().Results.Single();
        return new GeneratorOutcome(result, output);
    }

    /// <summary>Like <see cref="Run"/>, with more additional files beside stack.toml (a second stack.toml, say).</summary>
    public static GeneratorOutcome RunWithFiles(
        string stackToml,
        IEnumerable<(string Path, string Text)> extraFiles,
        string path = DefaultPath,
        OutputKind outputKind = OutputKind.ConsoleApplication)
    {
        var driver = CreateDriver(stackToml, path, extraFiles: extraFiles);
        driver = driver.RunGeneratorsAndUpdateCompilation(CreateCompilation(outputKind), out var output, out _);
        return new GeneratorOutcome(driver.GetRunResult().Results.Single(), output);
    }

    public static GeneratorDriver CreateDriver(string stackToml, string path = DefaultPath, IEnumerable<string>? existingFiles = null, string? rootNamespace = "Shop", bool trackSteps = false, IEnumerable<(string Path, string Text)>? extraFiles = null)
    {
        var additional = new List<AdditionalText> { new InMemoryAdditionalText(path, stackToml) };
        additional.AddRange((extraFiles ?? []).Select(f => new InMemoryAdditionalText(f.Path, f.Text)));
        if (existingFiles is not null)
        {
            var listPath = Path.Combine(Path.GetDirectoryName(path)!, "obj", ExistingFiles.ListFileName);
            additional.Add(new InMemoryAdditionalText(listPath, string.Concat(existingFiles.Select(f => f + "\n"))));
        }

        var options = new InMemoryOptionsProvider(rootNamespace is null
            ? []
            : new Dictionary<string, string> { ["build_property.RootNamespace"] = rootNamespace });
        return CSharpGeneratorDriver.Create(
            [new StackGenerator().AsSourceGenerator()],
            additional,
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            optionsProvider: options,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));
    }

    public static CSharpCompilation CreateCompilation(OutputKind outputKind = OutputKind.ConsoleApplication, params string[] sources) =>
        CSharpCompilation.Create(
            "StackProject",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest), path: $"Source{i}.cs")),
            s_references,
            new CSharpCompilationOptions(outputKind, nullableContextOptions: NullableContextOptions.Enable));

    private sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class InMemoryOptionsProvider(Dictionary<string, string> global) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new InMemoryOptions(global);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new InMemoryOptions([]);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new InMemoryOptions([]);
    }

    private sealed class InMemoryOptions(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}

/// <summary>What one generator run produced, and how the project compiles with it.</summary>
internal sealed record GeneratorOutcome(GeneratorRunResult Result, Compilation Output)
{
    public ImmutableArray<Diagnostic> Diagnostics => Result.Diagnostics;

    /// <summary>The generated stack code; a broken stack gets none (only the stand-in entry point, see <see cref="AllSources"/>).</summary>
    public ImmutableArray<GeneratedSourceResult> Sources =>
        [.. Result.GeneratedSources.Where(s => s.HintName != Berth.Generator.Emit.StackEmitter.FallbackMainHintName)];

    /// <summary>Everything generated, including the stand-in entry point of a project whose stack.toml has errors.</summary>
    public ImmutableArray<GeneratedSourceResult> AllSources => Result.GeneratedSources;

    public string? Exception => Result.Exception?.ToString();

    /// <summary>Errors and warnings of compiling the project with the generated code.</summary>
    public IEnumerable<Diagnostic> CompilationProblems => Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning);

    /// <summary>The one diagnostic with <paramref name="id"/>; fails if there is not exactly one.</summary>
    public Diagnostic Single(string id)
    {
        var matches = Diagnostics.Where(d => d.Id == id).ToList();
        Xunit.Assert.True(matches.Count == 1, $"Expected one {id}, got {matches.Count}: {string.Join(" | ", Diagnostics)}");
        return matches[0];
    }
}
