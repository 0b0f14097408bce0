using Berth.Generator.Model;
using Berth.Generator.Parsing;

namespace Berth.Generator.Tests;

/// <summary>How an environment's overlay merges onto the base, seen in the resolved model.</summary>
public class OverlayTests
{
    [Theory]
    [InlineData("config.Catalog.PageSize = 50")]
    [InlineData("config = { \"Catalog:PageSize\" = 50 }")]
    [InlineData("config = { \"catalog:pagesize\" = 50 }")]
    public void ConfigOverlayWinsHoweverEitherSideSpellsTheKey(string overlay)
    {
        var model = Parse($$"""
            [stack]
            name = "shop"

            [services.catalog]
            image = "nginx"
            config = { Catalog = { PageSize = 20, Currency = "EUR" }, "Catalog:Theme" = "light" }

            [environments.dev]

            [environments.prod.services.catalog]
            {{overlay}}
            """);

        var dev = Config(model, "dev");
        var prod = Config(model, "prod");
        Assert.Equal("20", dev.Single(kv => kv.Key.Equals("Catalog:PageSize", StringComparison.OrdinalIgnoreCase)).Value);
        Assert.Equal("50", prod.Single(kv => kv.Key.Equals("Catalog:PageSize", StringComparison.OrdinalIgnoreCase)).Value);
        Assert.Equal("EUR", prod.Single(kv => kv.Key == "Catalog:Currency").Value);
        Assert.Equal("light", prod.Single(kv => kv.Key == "Catalog:Theme").Value);
    }

    [Fact]
    public void ArraysReplaceOutsideConfig()
    {
        var model = Parse("""
            [stack]
            name = "shop"

            [services.catalog]
            image = "nginx"
            routes = ["/a", "/b"]

            [environments.dev]

            [environments.prod.services.catalog]
            routes = ["/c"]
            """);

        Assert.Equal(["/c"], model.Environments.Single(e => e.Name == "prod").Services[0].Routes);
    }

    [Fact]
    public void OverlaySourceReplacesTheBaseSource()
    {
        var model = Parse("""
            [stack]
            name = "shop"

            [services.cache]
            project = "../Cache/Cache.csproj"

            [environments.dev]

            [environments.prod.services.cache]
            image = "docker.io/library/redis:7"
            """);

        var prod = model.Environments.Single(e => e.Name == "prod").Services[0];
        Assert.Null(prod.Project);
        Assert.Equal("docker.io/library/redis:7", prod.Image);
    }

    [Fact]
    public void SizesTakeUnitsOrBytes()
    {
        var model = Parse("""
            [stack]
            name = "shop"

            [services.catalog]
            image = "nginx"
            limits = { memory = 1048576 }
            volumes = [{ type = "tmpfs", target = "/cache", size = 65536 }, { target = "/scratch", size = "1MiB" }]
            """);

        var catalog = model.Environments[0].Services[0];
        Assert.Equal(1048576, catalog.MemoryBytes);
        Assert.Equal([65536L, 1048576L], catalog.Volumes.Select(v => v.SizeBytes!.Value));
    }

    private static StackModel Parse(string toml)
    {
        var result = StackParser.Parse(GeneratorHarness.DefaultPath, toml, existingFiles: null);
        Assert.Empty(result.Diagnostics);
        return result.Model!;
    }

    private static EquatableArray<KeyValue> Config(StackModel model, string environment) =>
        model.Environments.Single(e => e.Name == environment).Services[0].Config;
}
