using System.Collections.Immutable;
using Berth.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Berth.Benchmarks.Workloads;

/// <summary>One generator with its inputs: the compilation, the additional files and build properties, and a file to edit.</summary>
internal sealed class Workload
{
    private Workload(
        string name,
        ImmutableArray<ISourceGenerator> generators,
        CSharpCompilation compilation,
        ImmutableArray<AdditionalText> additionalTexts,
        IReadOnlyDictionary<string, string> globalOptions,
        SyntaxTree unrelatedTree)
    {
        Name = name;
        Generators = generators;
        Compilation = compilation;
        AdditionalTexts = additionalTexts;
        GlobalOptions = globalOptions;
        UnrelatedTree = unrelatedTree;
        EditedUnrelatedTree = unrelatedTree.WithChangedText(unrelatedTree.GetText().Replace(
            unrelatedTree.GetText().ToString().IndexOf("Revision = 1;", StringComparison.Ordinal),
            "Revision = 1;".Length,
            "Revision = 2;\n    public const string Note = \"edited\";"));
    }

    /// <summary>How many services (Berth) or settings classes (System.Text.Json) the workloads hold.</summary>
    public const int Size = 200;

    /// <summary>A file no generator looks at, edited between two runs as a developer edits code.</summary>
    private const string UnrelatedSource = """
        namespace Fleet;

        internal static class Notes
        {
            public const int Revision = 1;
        }
        """;

    public string Name { get; }

    public ImmutableArray<ISourceGenerator> Generators { get; }

    public CSharpCompilation Compilation { get; }

    public ImmutableArray<AdditionalText> AdditionalTexts { get; }

    public IReadOnlyDictionary<string, string> GlobalOptions { get; }

    public SyntaxTree UnrelatedTree { get; }

    public SyntaxTree EditedUnrelatedTree { get; }

    /// <summary>A stack project: stack.toml and the build's list of existing files, a little C# of its own.</summary>
    public static Workload Berth(string stackToml)
    {
        var existing = string.Concat(FleetStack.ExistingFiles(Size).Select(f => f + "\n"));
        var listPath = Path.Combine(Path.GetDirectoryName(FleetStack.Path)!, "obj", "Release", "net10.0", "berth.existing-files");
        var compilation = Roslyn.CreateCompilation(
            "Fleet.AppHost",
            OutputKind.ConsoleApplication,
            [
                Roslyn.Parse("/src/fleet/Fleet.AppHost/Telemetry.cs", "namespace Fleet.AppHost;\n\ninternal static class Telemetry\n{\n    public const string ActivitySourceName = \"Fleet.AppHost\";\n}\n"),
                Roslyn.Parse("/src/fleet/Fleet.AppHost/Notes.cs", UnrelatedSource),
            ]);
        return new Workload(
            "Berth",
            [new StackGenerator().AsSourceGenerator()],
            compilation,
            [new InMemoryAdditionalText(FleetStack.Path, stackToml), new InMemoryAdditionalText(listPath, existing)],
            new Dictionary<string, string> { ["build_property.RootNamespace"] = FleetStack.RootNamespace },
            compilation.SyntaxTrees.Single(t => t.FilePath.EndsWith("Notes.cs", StringComparison.Ordinal)));
    }

    /// <summary>A class library with the settings classes and a JsonSerializerContext for all of them.</summary>
    public static Workload SystemTextJson(ImmutableArray<ISourceGenerator> generators)
    {
        var trees = new List<SyntaxTree>
        {
            Roslyn.Parse("/src/fleet/Fleet.Model/Shared.cs", JsonModel.SharedSource),
            Roslyn.Parse("/src/fleet/Fleet.Model/FleetJsonContext.cs", JsonModel.ContextSource(Size)),
            Roslyn.Parse("/src/fleet/Fleet.Model/Notes.cs", UnrelatedSource),
        };
        trees.AddRange(JsonModel.ClassSources(Size).Select(s => Roslyn.Parse($"/src/fleet/Fleet.Model/{s.Path}", s.Text)));
        var compilation = Roslyn.CreateCompilation("Fleet.Model", OutputKind.DynamicallyLinkedLibrary, trees);
        return new Workload(
            "System.Text.Json",
            generators,
            compilation,
            [],
            new Dictionary<string, string> { ["build_property.RootNamespace"] = "Fleet.Model" },
            trees[2]);
    }

    public GeneratorDriver CreateDriver() => Roslyn.CreateDriver(Generators, AdditionalTexts, GlobalOptions);

    /// <summary>The compilation after the unrelated edit: a new compilation, as the compiler or IDE makes one.</summary>
    public CSharpCompilation Edit() => Compilation.ReplaceSyntaxTree(UnrelatedTree, EditedUnrelatedTree);

    /// <summary>
    /// Runs the generators once on a fresh driver and throws unless they produced source and no diagnostic
    /// (System.Text.Json: none of warning or error severity).
    /// </summary>
    public GeneratorDriver RunAndValidate(bool allowInfo)
    {
        var driver = CreateDriver().RunGenerators(Compilation);
        var run = driver.GetRunResult();
        var problems = new List<string>();
        foreach (var result in run.Results)
        {
            if (result.Exception is { } exception)
            {
                problems.Add($"{result.Generator.GetGeneratorType().Name} threw {exception}");
            }
        }

        problems.AddRange(run.Diagnostics
            .Where(d => !allowInfo || d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.ToString()));
        if (run.GeneratedTrees.IsEmpty)
        {
            problems.Add("no source was generated");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"The {Name} workload is not valid: {string.Join(Environment.NewLine, problems)}");
        }

        return driver;
    }
}
