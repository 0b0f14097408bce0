using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Berth.Host.Tests;

public class StackHostingExtensionsTests
{
    [Fact]
    public void AddStackRegistersTheChosenEnvironmentsDefinition()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());

        builder.AddStack(TestStacks.Shop, "prod");

        using var host = builder.Build();
        Assert.Equal("prod", host.Services.GetRequiredService<StackDefinition>().Environment);
        Assert.Same(TestStacks.Shop, host.Services.GetRequiredService<StackDescriptor>());
    }
}
