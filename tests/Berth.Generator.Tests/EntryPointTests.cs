using Microsoft.CodeAnalysis;

namespace Berth.Generator.Tests;

/// <summary>A stack project gets the stack's command line as Main unless it has an entry point of its own.</summary>
public class EntryPointTests
{
    private const string Stack = """
        [stack]
        name = "shop"

        [services.catalog]
        image = "docker.io/library/nginx:1.27"
        """;

    [Fact]
    public void ExecutableWithoutEntryPointGetsTheStackCommandLine()
    {
        var outcome = GeneratorHarness.Run(Stack);

        Assert.Contains("StackCommandLine.RunAsync(ShopStack.Descriptor, args)", Source(outcome), StringComparison.Ordinal);
        Assert.Empty(outcome.CompilationProblems);
        Assert.NotNull(outcome.Output.GetEntryPoint(CancellationToken.None));
    }

    [Theory]
    [InlineData("System.Console.WriteLine(Shop.ShopStack.Name);")]
    [InlineData("static class Program { static void Main() { } }")]
    public void OwnEntryPointIsKept(string program)
    {
        var outcome = GeneratorHarness.Run(Stack, sources: program);

        Assert.DoesNotContain("BerthStackProgram", Source(outcome), StringComparison.Ordinal);
        Assert.Empty(outcome.CompilationProblems);
    }

    [Fact]
    public void LibraryGetsNoEntryPoint()
    {
        var outcome = GeneratorHarness.Run(Stack, outputKind: OutputKind.DynamicallyLinkedLibrary);

        Assert.DoesNotContain("BerthStackProgram", Source(outcome), StringComparison.Ordinal);
        Assert.Empty(outcome.CompilationProblems);
    }

    [Fact]
    public void BrokenStackStillHasAnEntryPointSoOnlyBerthErrorsShow()
    {
        var outcome = GeneratorHarness.Run(Stack.Replace("image", "imagee", StringComparison.Ordinal));

        Assert.Contains(outcome.Diagnostics, d => d.Id == "BERTH0002");
        Assert.Empty(outcome.Sources);
        var source = Assert.Single(outcome.AllSources);
        Assert.Equal("BerthStackProgram.g.cs", source.HintName);
        Assert.Empty(outcome.CompilationProblems);
    }

    private static string Source(GeneratorOutcome outcome) => Assert.Single(outcome.Sources).SourceText.ToString();
}
