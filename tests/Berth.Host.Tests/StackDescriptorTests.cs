namespace Berth.Host.Tests;

public class StackDescriptorTests
{
    [Fact]
    public void RequestedEnvironmentWins()
    {
        Assert.Equal("prod", TestStacks.Shop.SelectEnvironment("prod", dotnetEnvironment: "Development"));
    }

    [Theory]
    [InlineData("Production", "prod")]
    [InlineData("prod", "prod")]
    [InlineData("DEVELOPMENT", "dev")]
    public void DotnetEnvironmentMatchesStackOrDotnetName(string dotnetEnvironment, string expected)
    {
        Assert.Equal(expected, TestStacks.Shop.SelectEnvironment(null, dotnetEnvironment));
    }

    [Fact]
    public void DefaultEnvironmentWhenNothingIsAsked()
    {
        Assert.Equal("dev", TestStacks.Shop.SelectEnvironment(null, null));
    }

    [Fact]
    public void UnknownRequestedEnvironmentNamesTheDeclaredOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => TestStacks.Shop.SelectEnvironment("Staging"));
        Assert.Contains("no environment 'Staging'", error.Message, StringComparison.Ordinal);
        Assert.Contains("dev, prod", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DotnetEnvironmentThatMatchesNothingFallsBackToTheDefault()
    {
        // A machine-wide DOTNET_ENVIRONMENT=Staging is meant for other apps; the stack keeps its default.
        Assert.Equal("dev", TestStacks.Shop.SelectEnvironment(null, "Staging"));
    }

    [Fact]
    public void DefaultMustBeDeclared()
    {
        Assert.Throws<ArgumentException>(() => new StackDescriptor("x", [new StackEnvironment("dev", "Development")], "prod", _ => throw new InvalidOperationException()));
    }

    [Fact]
    public void GetServiceNamesTheStackWhenMissing()
    {
        var definition = TestStacks.Shop.Resolve("dev");
        Assert.Equal("catalog", definition.GetService("catalog").Name);
        var error = Assert.Throws<KeyNotFoundException>(() => definition.GetService("basket"));
        Assert.Contains("Stack 'shop' has no service named 'basket'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativePathsResolveAgainstTheStackDirectory()
    {
        Assert.Equal("/stacks/Catalog/Catalog.csproj", TestStacks.Shop.Resolve("dev").ResolvePath("../Catalog/Catalog.csproj"));
    }
}
