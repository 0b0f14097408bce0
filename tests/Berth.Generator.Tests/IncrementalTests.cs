using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Berth.Generator.Tests;

/// <summary>The generator's pipeline caches: work is redone only when stack.toml's meaning changes.</summary>
public class IncrementalTests
{
    private const string Stack = """
        [stack]
        name = "shop"

        [services.catalog]
        image = "docker.io/library/nginx:1.27"
        replicas = 1
        """;

    private static readonly string[] s_trackedSteps =
    [
        TrackingNames.StackFiles, TrackingNames.ExistingFiles, TrackingNames.Parse, TrackingNames.Model, TrackingNames.EmitOptions,
    ];

    [Fact]
    public void EditingUnrelatedCSharpLeavesEveryStepCached()
    {
        var driver = GeneratorHarness.CreateDriver(Stack, existingFiles: [], trackSteps: true);
        var compilation = GeneratorHarness.CreateCompilation(OutputKind.ConsoleApplication, "class A { }");
        driver = driver.RunGenerators(compilation);

        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.First(),
            CSharpSyntaxTree.ParseText("class A { int _x; }", new CSharpParseOptions(LanguageVersion.Latest), path: "Source0.cs"));
        driver = driver.RunGenerators(edited);

        var result = driver.GetRunResult().Results.Single();
        foreach (var step in s_trackedSteps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"Step {step} was not tracked.");
            var reasons = result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.All(reasons, reason => Assert.True(
                reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"Step {step} ran with reason {reason}."));
        }

        Assert.All(
            result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void EditingACommentInStackTomlParsesAgainButEmitsNothingNew()
    {
        var (first, second) = RunTwice(Stack, "# the catalog\n" + Stack);

        Assert.Equal(IncrementalStepRunReason.Modified, Reason(second, TrackingNames.StackFiles));

        // The parse ran again and produced an equal result, so nothing after it ran.
        Assert.Equal(IncrementalStepRunReason.Unchanged, Reason(second, TrackingNames.Parse));
        Assert.Equal(IncrementalStepRunReason.Cached, Reason(second, TrackingNames.Model));
        Assert.Equal(Source(first), Source(second));
    }

    [Fact]
    public void EditingStackTomlChangesTheOutput()
    {
        var (first, second) = RunTwice(Stack, Stack.Replace("replicas = 1", "replicas = 3"));

        Assert.Equal(IncrementalStepRunReason.Modified, Reason(second, TrackingNames.Model));
        Assert.DoesNotContain("Replicas = 3", Source(first));
        Assert.Contains("Replicas = 3", Source(second));
    }

    private static (GeneratorRunResult First, GeneratorRunResult Second) RunTwice(string before, string after)
    {
        var original = new StackText(GeneratorHarness.DefaultPath, before);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new StackGenerator().AsSourceGenerator()],
            [original],
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        var compilation = GeneratorHarness.CreateCompilation(OutputKind.ConsoleApplication, "class A { }");
        driver = driver.RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();

        driver = driver.ReplaceAdditionalText(original, new StackText(GeneratorHarness.DefaultPath, after));
        driver = driver.RunGenerators(compilation);
        return (first, driver.GetRunResult().Results.Single());
    }

    private static IncrementalStepRunReason Reason(GeneratorRunResult result, string step) =>
        Assert.Single(result.TrackedSteps[step].SelectMany(s => s.Outputs)).Reason;

    private static string Source(GeneratorRunResult result) => Assert.Single(result.GeneratedSources).SourceText.ToString();

    private sealed class StackText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
