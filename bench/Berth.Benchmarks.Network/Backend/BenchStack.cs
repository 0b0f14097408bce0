using Berth.Host;

namespace Berth.Benchmarks.Network.Backend;

/// <summary>
/// The stack the benchmark runs, as a stack.toml would declare it: the backend, routed at <c>/</c> by the gateway
/// and publishing its port on a free host port (the layer-4 forwarder); and a caller that declares the backend as
/// a dependency, so the mesh listens for it inside the caller's container.
/// </summary>
internal static class BenchStack
{
    public const string Backend = "backend";

    public const string Caller = "caller";

    public const int BackendPort = 8080;

    public static StackDefinition Definition { get; } = new()
    {
        Name = "bench-network",
        Environment = "bench",
        DotnetEnvironment = "Production",
        SourceDirectory = AppContext.BaseDirectory,
        Services =
        [
            new ServiceDefinition
            {
                Name = Backend,
                Project = "Berth.Benchmarks.Network.csproj",
                Port = BackendPort,
                Routes = ["/"],
                Ports = [new PortMapping(0, BackendPort)],
            },
            new ServiceDefinition
            {
                Name = Caller,
                Project = "Berth.Benchmarks.Network.csproj",
                DependsOn = [new ServiceDependency(Backend)],
            },
        ],
    };
}
