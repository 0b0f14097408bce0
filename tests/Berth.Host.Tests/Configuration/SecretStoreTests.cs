using System.Diagnostics;
using System.Text;
using Berth.Host.Configuration;
using static Berth.Host.Tests.Configuration.ConfigurationStacks;

namespace Berth.Host.Tests.Configuration;

public sealed class SecretStoreTests : IDisposable
{
    private const string UserSecretsId = "berth-tests-6f1c";

    // The stack's directory and, beside it, a home directory of its own for the user-secrets store: HOME is given to
    // Resolve as a host variable, so the test process's own HOME and store are never touched.
    private readonly TemporaryDirectory _root = new();

    private string StackDirectory => Path.Combine(_root.Path, "stack");

    private string Home => Path.Combine(_root.Path, "home");

    private string StorePath => Path.Combine(Home, ".microsoft", "usersecrets", UserSecretsId, "secrets.json");

    public void Dispose() => _root.Dispose();

    [Fact]
    public void AFileSecretIsReadRelativeToTheStackDirectoryByteForByte()
    {
        _root.Write("stack/secrets/db_password.txt", "s3cret\n");
        var stack = StackWith(new SecretDefinition("db_password", SecretSourceKind.File, "secrets/db_password.txt"));

        var store = SecretStore.Resolve(stack, HostVariables(), null);

        Assert.Equal("s3cret\n", Text(store, "db_password"));
    }

    [Fact]
    public void AFileSecretMayLieOutsideTheStackDirectory()
    {
        _root.Write("shared/api_key", "from-above");
        var stack = StackWith(new SecretDefinition("api_key", SecretSourceKind.File, "../shared/api_key"));

        Assert.Equal("from-above", Text(SecretStore.Resolve(stack, HostVariables(), null), "api_key"));
    }

    [Fact]
    public void AnEnvSecretIsReadFromTheHostVariable()
    {
        var stack = StackWith(new SecretDefinition("api_key", SecretSourceKind.Env, "SHOP_API_KEY"));

        var store = SecretStore.Resolve(stack, HostVariables(("SHOP_API_KEY", "k€y")), null);

        Assert.Equal("k€y", Text(store, "api_key"));
        Assert.Equal(Encoding.UTF8.GetBytes("k€y"), store.Get("api_key").ToArray());
    }

    [Fact]
    public void AUserSecretIsReadFromTheStoreUnderHome()
    {
        _root.Write(StorePath, """{ "Payments:ApiKey": "pay-123", "Nested": { "Key": "nested-456" } }""");
        var stack = StackWith(
            new SecretDefinition("payment_api_key", SecretSourceKind.UserSecret, "Payments:ApiKey"),
            new SecretDefinition("nested", SecretSourceKind.UserSecret, "nested:key"));

        var store = SecretStore.Resolve(stack, HostVariables(("HOME", Home)), UserSecretsId);

        Assert.Equal("pay-123", Text(store, "payment_api_key"));
        Assert.Equal("nested-456", Text(store, "nested"));
    }

    [Fact]
    public async Task AUserSecretSetWithTheDotnetToolIsRead()
    {
        // The store as the real `dotnet user-secrets set` writes it (with a BOM, under HOME), not as this test would.
        await SetUserSecret("Payments:ApiKey", "from-the-tool");
        var stack = StackWith(new SecretDefinition("payment_api_key", SecretSourceKind.UserSecret, "payments:apikey"));

        var store = SecretStore.Resolve(stack, HostVariables(("HOME", Home)), UserSecretsId);

        Assert.Equal("from-the-tool", Text(store, "payment_api_key"));
    }

    [Fact]
    public void AUserSecretIsReadFromUnderAppDataWhereItIsSet()
    {
        // As Microsoft.Extensions.Configuration.UserSecrets does: APPDATA first, in its own layout.
        var appData = Path.Combine(_root.Path, "appdata");
        _root.Write(Path.Combine(appData, "Microsoft", "UserSecrets", UserSecretsId, "secrets.json"), """{ "Payments:ApiKey": "from-appdata" }""");
        var stack = StackWith(new SecretDefinition("payment_api_key", SecretSourceKind.UserSecret, "Payments:ApiKey"));

        var store = SecretStore.Resolve(stack, HostVariables(("APPDATA", appData), ("HOME", Home)), UserSecretsId);

        Assert.Equal("from-appdata", Text(store, "payment_api_key"));
    }

    [Fact]
    public void OnlySecretsThatAServiceListsAreResolvedInDeclarationOrder()
    {
        var stack = Stack("prod", StackDirectory,
            [Service("catalog", secrets: ["b", "a"]), Service("orders", secrets: ["a"])],
            [
                new SecretDefinition("a", SecretSourceKind.Env, "A"),
                new SecretDefinition("unused", SecretSourceKind.File, "does/not/exist"),
                new SecretDefinition("b", SecretSourceKind.Env, "B"),
            ]);

        var store = SecretStore.Resolve(stack, HostVariables(("A", "1"), ("B", "2")), null);

        Assert.Equal(["a", "b"], store.Names);
        var error = Assert.Throws<KeyNotFoundException>(() => store.Get("unused"));
        Assert.Contains("no service lists it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileSaysWhereItLookedAndWhatToDo()
    {
        var stack = StackWith(new SecretDefinition("db_password", SecretSourceKind.File, "secrets/db_password.txt"));

        var error = Assert.Throws<StackConfigurationException>(() => SecretStore.Resolve(stack, HostVariables(), null));

        var path = Path.Combine(StackDirectory, "secrets", "db_password.txt");
        Assert.Equal(
            $"Stack 'shop' cannot start in environment 'prod': secret 'db_password' comes from file = \"secrets/db_password.txt\": the file {path} does not exist; "
            + "create it holding the secret's value, readable by the user that runs the stack (keep it out of source control); "
            + "or give the secret another source for this environment in [environments.prod.secrets.db_password].",
            error.Message);
        Assert.Equal("prod", error.Environment);
    }

    [Fact]
    public void AnEmptyFileOrADirectoryIsNoSecret()
    {
        _root.Write("stack/secrets/empty.txt", "");
        Directory.CreateDirectory(Path.Combine(StackDirectory, "secrets", "dir"));
        var stack = StackWith(
            new SecretDefinition("empty", SecretSourceKind.File, "secrets/empty.txt"),
            new SecretDefinition("dir", SecretSourceKind.File, "secrets/dir"));

        var error = Assert.Throws<StackConfigurationException>(() => SecretStore.Resolve(stack, HostVariables(), null));

        Assert.Contains($"the file {Path.Combine(StackDirectory, "secrets", "empty.txt")} is empty; write the secret's value into it", error.Problems[0], StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(StackDirectory, "secrets", "dir")} is a directory; point file at the file that holds the secret", error.Problems[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "the host variable SHOP_DB_PASSWORD is not set; set it in the environment that runs the stack")]
    [InlineData(true, "the host variable SHOP_DB_PASSWORD is set but empty; give it the secret's value")]
    public void AMissingVariableSaysWhichAndWhatToDo(bool setButEmpty, string problem)
    {
        var stack = StackWith(new SecretDefinition("db_password", SecretSourceKind.Env, "SHOP_DB_PASSWORD"));
        var host = setButEmpty ? HostVariables(("SHOP_DB_PASSWORD", "")) : HostVariables();

        var error = Assert.Throws<StackConfigurationException>(() => SecretStore.Resolve(stack, host, null));

        Assert.Equal(
            $"Stack 'shop' cannot start in environment 'prod': secret 'db_password' comes from env = \"SHOP_DB_PASSWORD\": {problem}; "
            + "or give the secret another source for this environment in [environments.prod.secrets.db_password].",
            error.Message);
    }

    [Fact]
    public void AUserSecretWithoutAUserSecretsIdSaysHowToCreateTheStore()
    {
        var stack = StackWith(new SecretDefinition("payment_api_key", SecretSourceKind.UserSecret, "Payments:ApiKey"));

        var error = Assert.Throws<StackConfigurationException>(() => SecretStore.Resolve(stack, HostVariables(("HOME", Home)), null));

        Assert.Contains(
            "secret 'payment_api_key' comes from user_secret = \"Payments:ApiKey\": the stack project has no UserSecretsId, so it has no user-secrets store; "
            + "run `dotnet user-secrets init`, then `dotnet user-secrets set \"Payments:ApiKey\" VALUE` in the stack project's directory, as the user that runs the stack",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingUserSecretsStoreSaysWhereItLooked()
    {
        var stack = StackWith(new SecretDefinition("payment_api_key", SecretSourceKind.UserSecret, "Payments:ApiKey"));

        var error = Assert.Throws<StackConfigurationException>(() => SecretStore.Resolve(stack, HostVariables(("HOME", Home)), UserSecretsId));

        Assert.Contains(
            $"user_secret = \"Payments:ApiKey\": the user-secrets store {StorePath} does not exist; run `dotnet user-secrets set \"Payments:ApiKey\" VALUE` in the stack project's directory",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingOrEmptyUserSecretKeySaysWhichKeyInWhichStore()
    {
        _root.Write(StorePath, """{ "Other:Key": "other-value", "Empty:Key": "" }""");
        var stack = StackWith(
            new SecretDefinition("payment_api_key", SecretSourceKind.UserSecret, "Payments:ApiKey"),
            new SecretDefinition("empty", SecretSourceKind.UserSecret, "Empty:Key"));

        var error = Assert.Throws<StackConfigurationException>(() => SecretStore.Resolve(stack, HostVariables(("HOME", Home)), UserSecretsId));

        Assert.Contains($"the user-secrets store {StorePath} has no key 'Payments:ApiKey'; run `dotnet user-secrets set \"Payments:ApiKey\" VALUE`", error.Problems[0], StringComparison.Ordinal);
        Assert.Contains($"the key 'Empty:Key' of the user-secrets store {StorePath} is empty", error.Problems[1], StringComparison.Ordinal);
        Assert.DoesNotContain("other-value", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidUserSecretsIdIsReported()
    {
        var stack = StackWith(new SecretDefinition("payment_api_key", SecretSourceKind.UserSecret, "Payments:ApiKey"));

        var error = Assert.Throws<StackConfigurationException>(() => SecretStore.Resolve(stack, HostVariables(("HOME", Home)), "bad/id"));

        Assert.Contains("the stack project's UserSecretsId 'bad/id' is not a valid directory name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUndeclaredSecretIsReported()
    {
        var stack = Stack("prod", StackDirectory, [Service("catalog", secrets: ["ghost"])]);

        var error = Assert.Throws<StackConfigurationException>(() => SecretStore.Resolve(stack, HostVariables(), null));

        Assert.Equal("Stack 'shop' cannot start in environment 'prod': secret 'ghost', listed by service 'catalog', is not declared; add a [secrets.ghost] table with its source.", error.Message);
    }

    [Fact]
    public void EveryMissingSecretIsReportedAtOnce()
    {
        var stack = StackWith(
            new SecretDefinition("a", SecretSourceKind.Env, "MISSING_A"),
            new SecretDefinition("b", SecretSourceKind.File, "missing-b.txt"),
            new SecretDefinition("c", SecretSourceKind.UserSecret, "C"));

        var error = Assert.Throws<StackConfigurationException>(() => SecretStore.Resolve(stack, HostVariables(("HOME", Home)), UserSecretsId));

        Assert.Equal(3, error.Problems.Count);
        Assert.StartsWith("Stack 'shop' cannot start in environment 'prod', 3 problems:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValuesNeverAppearInToStringOrMessages()
    {
        _root.Write("stack/good.txt", "file-value-1");
        var stack = StackWith(
            new SecretDefinition("good_file", SecretSourceKind.File, "good.txt"),
            new SecretDefinition("good_env", SecretSourceKind.Env, "GOOD"));
        var store = SecretStore.Resolve(stack, HostVariables(("GOOD", "env-value-2")), null);

        Assert.Equal("SecretStore { Stack = shop, Environment = prod, Names = [good_file, good_env] }", store.ToString());
        var notFound = Assert.Throws<KeyNotFoundException>(() => store.Get("nope")).Message;
        foreach (var text in new[] { store.ToString(), notFound })
        {
            Assert.DoesNotContain("file-value-1", text, StringComparison.Ordinal);
            Assert.DoesNotContain("env-value-2", text, StringComparison.Ordinal);
        }

        // A failing resolve names the secrets that failed, never the values of those that were read.
        var failing = stack with { Services = [Service("catalog", secrets: ["good_file", "good_env", "bad"])], Secrets = [.. stack.Secrets, new SecretDefinition("bad", SecretSourceKind.Env, "BAD")] };
        var error = Assert.Throws<StackConfigurationException>(() => SecretStore.Resolve(failing, HostVariables(("GOOD", "env-value-2")), null));
        Assert.DoesNotContain("file-value-1", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("env-value-2", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "Payments:ApiKey": leaked-value-3 }""")]
    [InlineData("""{ "Payments:ApiKey": "leaked-value-3", "payments:apikey": "leaked-value-4" }""")]
    [InlineData("")]
    public void ABrokenUserSecretsStoreIsReportedWithoutItsContent(string content)
    {
        // The parser's own message would quote the text around the error, which holds secret values.
        _root.Write(StorePath, content);
        var stack = StackWith(new SecretDefinition("payment_api_key", SecretSourceKind.UserSecret, "Payments:ApiKey"));

        var error = Assert.Throws<StackConfigurationException>(() => SecretStore.Resolve(stack, HostVariables(("HOME", Home)), UserSecretsId));

        Assert.Contains($"the user-secrets store {StorePath} is not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("leaked", error.ToString(), StringComparison.Ordinal);
        Assert.Null(error.InnerException);
    }

    /// <summary>Runs `dotnet user-secrets set` with this test's HOME, so the tool writes to the test's store.</summary>
    private async Task SetUserSecret(string key, string value)
    {
        var start = new ProcessStartInfo(System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { "user-secrets", "set", key, value, "--id", UserSecretsId },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["HOME"] = Home,
                ["DOTNET_CLI_HOME"] = Home,
                ["DOTNET_NOLOGO"] = "1",
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            },
        };
        using var tool = Process.Start(start)!;
        var output = tool.StandardOutput.ReadToEndAsync();
        var error = tool.StandardError.ReadToEndAsync();
        await tool.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(tool.ExitCode == 0, $"dotnet user-secrets set failed ({tool.ExitCode}): {await output}{await error}");
    }

    /// <summary>A prod stack whose one service lists every secret given.</summary>
    private StackDefinition StackWith(params SecretDefinition[] secrets) =>
        Stack("prod", StackDirectory, [Service("catalog", secrets: [.. secrets.Select(s => s.Name)])], secrets);

    private static string Text(SecretStore store, string name) => Encoding.UTF8.GetString(store.Get(name).Span);
}
