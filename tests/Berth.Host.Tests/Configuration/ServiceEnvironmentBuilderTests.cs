using Berth.Host.Configuration;
using static Berth.Host.Tests.Configuration.ConfigurationStacks;

namespace Berth.Host.Tests.Configuration;

public class ServiceEnvironmentBuilderTests
{
    [Theory]
    [InlineData("dev", "Development")]
    [InlineData("prod", "Production")]
    public void TheDotnetEnvironmentGoesToBothVariables(string environment, string dotnetEnvironment)
    {
        var variables = Build(Stack(environment, "/stacks/shop", [Service("catalog")]), "catalog", HostVariables());

        Assert.Equal(dotnetEnvironment, variables["DOTNET_ENVIRONMENT"]);
        Assert.Equal(dotnetEnvironment, variables["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal(2, variables.Count);
    }

    [Fact]
    public void ConfigKeysBecomeDoubleUnderscoreVariables()
    {
        var service = Service("catalog", config:
        [
            ("Catalog:PageSize", "20"),
            ("Logging:LogLevel:Default", "Information"),
            ("Catalog:Currencies:0", "EUR"),
            ("ConnectionStrings:Catalog", "Host=catalog-db;Database=catalog"),
            ("Plain", "yes"),
        ]);

        var variables = Build(Stack("dev", "/stacks/shop", [service]), "catalog", HostVariables());

        Assert.Equal("20", variables["Catalog__PageSize"]);
        Assert.Equal("Information", variables["Logging__LogLevel__Default"]);
        Assert.Equal("EUR", variables["Catalog__Currencies__0"]);
        Assert.Equal("Host=catalog-db;Database=catalog", variables["ConnectionStrings__Catalog"]);
        Assert.Equal("yes", variables["Plain"]);
        Assert.DoesNotContain(variables.Keys, k => k.Contains(':', StringComparison.Ordinal));
    }

    [Fact]
    public void ConfigValuesAreKeptAsWritten()
    {
        var service = Service("catalog", config: [("Price:Format", "${NOT_INTERPOLATED} $$0.00")]);

        var variables = Build(Stack("dev", "/stacks/shop", [service]), "catalog", HostVariables(("NOT_INTERPOLATED", "x")));

        Assert.Equal("${NOT_INTERPOLATED} $$0.00", variables["Price__Format"]);
    }

    [Fact]
    public void EnvWinsOverConfigAndConfigOverTheDotnetEnvironment()
    {
        var service = Service(
            "catalog",
            env: [("Catalog__PageSize", "50"), ("ASPNETCORE_ENVIRONMENT", "Custom")],
            config: [("Catalog:PageSize", "20"), ("DOTNET_ENVIRONMENT", "FromConfig")]);

        var variables = Build(Stack("prod", "/stacks/shop", [service]), "catalog", HostVariables());

        Assert.Equal("50", variables["Catalog__PageSize"]);
        Assert.Equal("Custom", variables["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("FromConfig", variables["DOTNET_ENVIRONMENT"]);
    }

    [Theory]
    // Plain text, $$ and a '$' that starts no reference.
    [InlineData("plain", "plain")]
    [InlineData("$$0.00", "$0.00")]
    [InlineData("$$$$", "$$")]
    [InlineData("$${SET}", "${SET}")]
    [InlineData("cost: 5$", "cost: 5$")]
    [InlineData("$1 and $ alone", "$1 and $ alone")]
    // ${VAR} and $VAR.
    [InlineData("${SET}", "value")]
    [InlineData("${UNSET}", "")]
    [InlineData("${EMPTY}", "")]
    [InlineData("$SET/bin", "value/bin")]
    [InlineData("$UNSET.", ".")]
    [InlineData("a${SET}b${SET}c", "avaluebvaluec")]
    // ${VAR:-default}: unset or empty; ${VAR-default}: unset only.
    [InlineData("${SET:-fallback}", "value")]
    [InlineData("${UNSET:-fallback}", "fallback")]
    [InlineData("${EMPTY:-fallback}", "fallback")]
    [InlineData("${SET-fallback}", "value")]
    [InlineData("${UNSET-fallback}", "fallback")]
    [InlineData("${EMPTY-fallback}", "")]
    [InlineData("${UNSET:-}", "")]
    [InlineData("${UNSET:-http://localhost:8080}", "http://localhost:8080")]
    // Defaults are interpolated, and nest.
    [InlineData("${UNSET:-${SET}}", "value")]
    [InlineData("${UNSET:-$SET}", "value")]
    [InlineData("${UNSET:-${ALSO_UNSET:-deep}}", "deep")]
    [InlineData("${UNSET:-$$}", "$")]
    // Set and not empty: the value; the message of a required variable is not used.
    [InlineData("${SET:?must be set}", "value")]
    [InlineData("${SET?must be set}", "value")]
    [InlineData("${EMPTY?must be set}", "")]
    // ${VAR:+other}: set and not empty; ${VAR+other}: set.
    [InlineData("${SET:+other}", "other")]
    [InlineData("${EMPTY:+other}", "")]
    [InlineData("${UNSET:+other}", "")]
    [InlineData("${SET+other}", "other")]
    [InlineData("${EMPTY+other}", "other")]
    [InlineData("${UNSET+other}", "")]
    // The word of an operator is only looked at when used: a required variable inside an unused default is fine.
    [InlineData("${SET:-${UNSET:?not needed}}", "value")]
    public void EnvIsInterpolatedFromTheHost(string written, string expected)
    {
        var service = Service("catalog", env: [("VALUE", written)]);

        var variables = Build(Stack("dev", "/stacks/shop", [service]), "catalog", HostVariables(("SET", "value"), ("EMPTY", "")));

        Assert.Equal(expected, variables["VALUE"]);
    }

    [Theory]
    [InlineData("${PUBLIC_URL:?set PUBLIC_URL to the public address}", "variable PUBLIC_URL is not set: set PUBLIC_URL to the public address")]
    [InlineData("${PUBLIC_URL?set PUBLIC_URL to the public address}", "variable PUBLIC_URL is not set: set PUBLIC_URL to the public address")]
    [InlineData("${PUBLIC_URL:?}", "required variable PUBLIC_URL is not set")]
    [InlineData("${EMPTY_URL:?give it a value}", "variable EMPTY_URL is empty: give it a value")]
    [InlineData("https://${UNSET:-${PUBLIC_URL:?needed without UNSET}}", "variable PUBLIC_URL is not set: needed without UNSET")]
    public void AMissingRequiredVariableNamesTheServiceTheVariableAndTheKey(string written, string problem)
    {
        var service = Service("catalog", env: [("URL", written)]);
        var stack = Stack("prod", "/stacks/shop", [service]);

        var error = Assert.Throws<StackConfigurationException>(() => Build(stack, "catalog", HostVariables(("EMPTY_URL", ""))));

        Assert.Equal("shop", error.StackName);
        Assert.Equal("prod", error.Environment);
        var variable = problem.Contains("EMPTY_URL", StringComparison.Ordinal) ? "EMPTY_URL" : "PUBLIC_URL";
        Assert.Equal(
            $"Stack 'shop' cannot start in environment 'prod': service 'catalog', env URL (services.catalog.env.URL in stack.toml or its environment overlay): {problem}. "
            + $"Set {variable} in the environment that runs the stack, or give the value a default with ${{{variable}:-default}}.",
            error.Message);
    }

    [Theory]
    [InlineData("${UNCLOSED", "'${' at position 1 is never closed with '}'")]
    [InlineData("abc${A:-${B}", "'${' at position 4 is never closed with '}'")]
    [InlineData("${}", "'${}' does not start with a variable name")]
    [InlineData("${1ABC}", "'${1ABC}' does not start with a variable name")]
    [InlineData("${:-x}", "'${:-x}' does not start with a variable name")]
    [InlineData("${VAR*x}", "'${VAR*x}' has '*x' after the variable name")]
    [InlineData("${VAR:x}", "'${VAR:x}' has ':x' after the variable name")]
    public void MalformedInterpolationSaysWhatIsWrong(string written, string problem)
    {
        var service = Service("catalog-db", env: [("my.var", written)]);

        var error = Assert.Throws<StackConfigurationException>(() => Build(Stack("dev", "/stacks/shop", [service]), "catalog-db", HostVariables()));

        Assert.Equal(
            $"Stack 'shop' cannot start in environment 'dev': service 'catalog-db', env my.var (services.catalog-db.env.\"my.var\" in stack.toml or its environment overlay): "
            + $"invalid interpolation, {problem}. Use ${{VAR}}, ${{VAR:-default}}, ${{VAR:?message}}, or $$ for a literal $.",
            error.Message);
    }

    [Fact]
    public void EveryProblemOfTheServiceIsReportedAtOnce()
    {
        var service = Service("catalog", env: [("A", "${NEEDED_A:?a}"), ("B", "${NEEDED_B:?b}"), ("C", "${FINE:-ok}")]);

        var error = Assert.Throws<StackConfigurationException>(() => Build(Stack("prod", "/stacks/shop", [service]), "catalog", HostVariables()));

        Assert.Equal(2, error.Problems.Count);
        Assert.StartsWith("Stack 'shop' cannot start in environment 'prod', 2 problems:", error.Message, StringComparison.Ordinal);
        Assert.Contains("env A (services.catalog.env.A", error.Problems[0], StringComparison.Ordinal);
        Assert.Contains("variable NEEDED_B is not set: b", error.Problems[1], StringComparison.Ordinal);
        Assert.Contains("  - service 'catalog', env B", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AProblemNeverShowsTheValuesOfOtherVariables()
    {
        var service = Service("catalog", env: [("PASSWORD", "${DB_PASSWORD}"), ("URL", "${PUBLIC_URL:?set it}")]);

        var error = Assert.Throws<StackConfigurationException>(() =>
            Build(Stack("prod", "/stacks/shop", [service]), "catalog", HostVariables(("DB_PASSWORD", "hunter2-value"))));

        Assert.DoesNotContain("hunter2-value", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyTheGivenServiceIsBuilt()
    {
        var stack = Stack("dev", "/stacks/shop", [Service("catalog", env: [("A", "1")]), Service("orders", env: [("B", "${BROKEN:?x}")])]);

        var variables = Build(stack, "catalog", HostVariables());

        Assert.Equal("1", variables["A"]);
        Assert.False(variables.ContainsKey("B"));
    }

    private static IReadOnlyDictionary<string, string> Build(StackDefinition stack, string service, Func<string, string?> host) =>
        ServiceEnvironmentBuilder.Build(stack, stack.GetService(service), host);
}
