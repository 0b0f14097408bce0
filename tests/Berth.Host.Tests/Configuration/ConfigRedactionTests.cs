using System.Text.Json;
using Tomlyn;
using Tomlyn.Model;

namespace Berth.Host.Tests.Configuration;

/// <summary>The <c>config</c> verb shows where each secret comes from and "***" for its value, even when it could be read.</summary>
public class ConfigRedactionTests
{
    [Fact]
    public async Task SecretsShowTheirSourceAndStarsInJson()
    {
        var output = await RunConfig("--environment", "prod");

        using var json = JsonDocument.Parse(output);
        var secret = json.RootElement.GetProperty("secrets")[0];
        Assert.Equal("api_key", secret.GetProperty("name").GetString());
        Assert.Equal("SHOP_API_KEY", secret.GetProperty("source").GetString());
        Assert.Equal("***", secret.GetProperty("value").GetString());
    }

    [Fact]
    public async Task SecretsShowStarsInToml()
    {
        var output = await RunConfig("--environment", "dev", "--format", "toml");

        var secret = ((TomlTableArray)TomlSerializer.Deserialize<TomlTable>(output)!["secrets"])[0];
        Assert.Equal("secrets/api_key.txt", secret["source"]);
        Assert.Equal("***", secret["value"]);
    }

    [Fact]
    public async Task ValuesTheHostCouldGiveNeverAppear()
    {
        // Both variables are set in this process: config shows env as written and secrets by source, reading neither.
        const string SecretVariable = "BERTH_TEST_SECRET_7F3A";
        const string EnvVariable = "BERTH_TEST_TOKEN_7F3A";
        var descriptor = new StackDescriptor("shop", [new StackEnvironment("prod", "Production")], "prod", environment =>
            ConfigurationStacks.Stack(
                environment,
                "/stacks/shop",
                [ConfigurationStacks.Service("catalog", env: [("TOKEN", $"${{{EnvVariable}}}")], secrets: ["api_key"])],
                [new SecretDefinition("api_key", SecretSourceKind.Env, SecretVariable)]));
        System.Environment.SetEnvironmentVariable(SecretVariable, "secret-value-do-not-print");
        System.Environment.SetEnvironmentVariable(EnvVariable, "token-value-do-not-print");
        try
        {
            foreach (var format in new[] { "json", "toml" })
            {
                var output = await RunConfig(descriptor, "--format", format);

                Assert.DoesNotContain("do-not-print", output, StringComparison.Ordinal);
                Assert.Contains($"${{{EnvVariable}}}", output, StringComparison.Ordinal);
                Assert.Contains("***", output, StringComparison.Ordinal);
            }
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(SecretVariable, null);
            System.Environment.SetEnvironmentVariable(EnvVariable, null);
        }
    }

    private static Task<string> RunConfig(params string[] args) => RunConfig(TestStacks.Shop, args);

    private static async Task<string> RunConfig(StackDescriptor descriptor, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await StackCommandLine.RunAsync(descriptor, ["config", .. args], output, error);
        Assert.True(exitCode == 0, error.ToString());
        return output.ToString();
    }
}
