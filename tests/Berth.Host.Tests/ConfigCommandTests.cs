using System.Text.Json;
using Tomlyn;
using Tomlyn.Model;

namespace Berth.Host.Tests;

public class ConfigCommandTests
{
    [Fact]
    public async Task ConfigPrintsTheResolvedEnvironmentAsJson()
    {
        var (exitCode, output, _) = await Run("config", "--environment", "prod");

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        var catalog = json.RootElement.GetProperty("services")[0];
        Assert.Equal("prod", json.RootElement.GetProperty("environment").GetString());
        Assert.Equal(2, catalog.GetProperty("replicas").GetInt32());
        Assert.Equal("1m30s", catalog.GetProperty("health").GetProperty("interval").GetString());
        Assert.Equal("http", catalog.GetProperty("protocol").GetString());
        Assert.Equal("20", catalog.GetProperty("config").GetProperty("Catalog:PageSize").GetString());
        var secret = json.RootElement.GetProperty("secrets")[0];
        Assert.Equal("env", secret.GetProperty("source_kind").GetString());
        Assert.Equal("SHOP_API_KEY", secret.GetProperty("source").GetString());
    }

    [Fact]
    public async Task ConfigPrintsValidToml()
    {
        var (exitCode, output, _) = await Run("config", "-e", "dev", "--format", "toml");

        Assert.Equal(0, exitCode);
        var table = TomlSerializer.Deserialize<TomlTable>(output)!;
        Assert.Equal("dev", table["environment"]);
        var services = (TomlTableArray)table["services"];
        Assert.Equal("catalog", services[0]["name"]);
        Assert.Equal(1L, services[0]["replicas"]);
    }

    [Fact]
    public async Task UnknownEnvironmentFailsWithTheDeclaredOnes()
    {
        var (exitCode, _, error) = await Run("config", "-e", "staging");

        Assert.Equal(2, exitCode);
        Assert.Contains("Declared: dev, prod", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFormatIsRejected()
    {
        var (exitCode, _, error) = await Run("config", "--format", "yaml");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("yaml", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("config", "--help")]
    [InlineData("up", "--help")]
    public async Task HelpDescribesTheStack(params string[] args)
    {
        var (exitCode, output, _) = await Run(args);

        Assert.Equal(0, exitCode);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains(args.Length == 2 ? "--environment" : "config", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await StackCommandLine.RunAsync(TestStacks.Shop, args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
