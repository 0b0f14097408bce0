using Berth.Host.Networking;

namespace Berth.Host.Tests;

/// <summary>What a container needs of the network, from the stack alone.</summary>
public sealed class ServiceNetworkPlanTests
{
    private static readonly StackDefinition Stack = new()
    {
        Name = "shop",
        Environment = "dev",
        DotnetEnvironment = "Development",
        SourceDirectory = "/stacks/shop",
        Services =
        [
            new ServiceDefinition { Name = "catalog", Port = 8080 },
            new ServiceDefinition { Name = "db", Port = 5432, Protocol = ServiceProtocol.Tcp },
            new ServiceDefinition { Name = "orders", Port = 8081, DependsOn = [new ServiceDependency("catalog"), new ServiceDependency("db")] },
            new ServiceDefinition { Name = "basket", Port = 8080, DependsOn = [new ServiceDependency("catalog")] },
            new ServiceDefinition { Name = "edge", Port = 80, DependsOn = [new ServiceDependency("catalog")] },
            new ServiceDefinition { Name = "worker", DependsOn = [new ServiceDependency("orders"), new ServiceDependency("jobs")] },
            new ServiceDefinition { Name = "jobs", Network = NetworkMode.Host, Port = 9000 },
        ],
    };

    private static readonly MeshAddresses Addresses = MeshAddresses.For(Stack);

    [Fact]
    public void EachServiceHasOneLoopbackAddressByName()
    {
        Assert.Equal("127.0.1.2", Addresses["catalog"].ToString());
        Assert.Equal("127.0.1.3", Addresses["db"].ToString());
        Assert.Equal("127.0.1.1", Addresses["basket"].ToString());
    }

    [Fact]
    public void ADependencyAnswersOnItsPortAnd80AndIsNamedInHosts()
    {
        var orders = Stack.GetService("orders");

        Assert.Equal(
            ["127.0.1.2:8080 catalog", "127.0.1.2:80 catalog", "127.0.1.3:5432 db"],
            ServiceNetworkPlan.Listeners(Stack, orders, Addresses).Select(l => $"{l.EndPoint} {l.Target}"));
        Assert.Equal(["catalog 127.0.1.2", "db 127.0.1.3"], ServiceNetworkPlan.Hosts(Stack, orders, Addresses).Select(h => $"{h.Name} {h.Address}"));

        var environment = ServiceNetworkPlan.Environment(Stack, orders);
        Assert.Equal("http://catalog:8080", environment["services__catalog__http__0"]);
        Assert.Equal("tcp://db:5432", environment["services__db__tcp__0"]);
        Assert.Equal("8081", environment["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal("8081", environment["PORT"]);
    }

    [Fact]
    public void ADependencyKeepsItsPortsWhenTheCallerListensOnThemToo()
    {
        // basket serves on 8080 itself and edge on 80, on every address of their networks: the host's listeners are
        // steered to, so catalog answers on its own port and on 80 in both.
        var catalog = Stack.GetService("catalog");
        Assert.Equal([8080, 80], ServiceNetworkPlan.MeshPorts(catalog));
        foreach (var caller in new[] { "basket", "edge" })
        {
            Assert.Equal(
                ["127.0.1.2:8080 catalog", "127.0.1.2:80 catalog"],
                ServiceNetworkPlan.Listeners(Stack, Stack.GetService(caller), Addresses).Select(l => $"{l.EndPoint} {l.Target}"));
            Assert.Equal("http://catalog:8080", ServiceNetworkPlan.Environment(Stack, Stack.GetService(caller))["services__catalog__http__0"]);
        }

        // A TCP dependency answers on its port alone; an HTTP one on 80 once.
        Assert.Equal([5432], ServiceNetworkPlan.MeshPorts(Stack.GetService("db")));
        Assert.Equal([80], ServiceNetworkPlan.MeshPorts(new ServiceDefinition { Name = "web", Port = 80 }));
    }

    [Fact]
    public void OnlyDeclaredDependenciesInPrivateNetworksWithAPortAreReachable()
    {
        var worker = Stack.GetService("worker");

        // jobs shares the host's network: it is not reached through the mesh.
        Assert.Equal(["orders"], ServiceNetworkPlan.Reachable(Stack, worker).Select(s => s.Name));
        Assert.DoesNotContain("PORT", ServiceNetworkPlan.Environment(Stack, worker).Keys);
        Assert.Empty(ServiceNetworkPlan.Listeners(Stack, Stack.GetService("catalog"), Addresses));
    }
}
