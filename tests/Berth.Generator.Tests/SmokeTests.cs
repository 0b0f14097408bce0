namespace Berth.Generator.Tests;

public class SmokeTests
{
    [Fact]
    public void MinimalStackGeneratesCompilingCode()
    {
        var outcome = GeneratorHarness.Run("""
            [stack]
            name = "shop"

            [services.catalog]
            image = "docker.io/library/nginx:1"
            """);

        Assert.Null(outcome.Exception);
        Assert.Empty(outcome.Diagnostics);
        var source = Assert.Single(outcome.Sources);
        Assert.Equal("ShopStack.g.cs", source.HintName);
        Assert.Empty(outcome.CompilationProblems);
    }
}
