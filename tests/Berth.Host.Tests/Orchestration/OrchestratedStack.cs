using System.Collections.Immutable;
using System.Net;
using Berth.Host.Orchestration;
using Berth.Runtime.Cgroups;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Berth.Host.Tests.Orchestration;

/// <summary>
/// An orchestrator for a stack built in the test, whose project services all run the test backend (built next to
/// the tests, listed in a service manifest as the build would list it), with a state directory, cgroup parent and
/// volumes directory of its own, so that what it leaves behind can be looked for exactly.
/// </summary>
internal sealed class OrchestratedStack : IAsyncDisposable
{
    /// <summary>The project every test service names; the manifest says its build is the backend next to the tests.</summary>
    public const string BackendProject = "../backend/Berth.Host.TestBackend.csproj";

    private readonly string _root = Path.Combine("/run/berth", $"test-{Guid.NewGuid():N}");

    public OrchestratedStack(string name, params ServiceDefinition[] services)
    {
        Directory.CreateDirectory(StackDirectory);
        Stack = new StackDefinition
        {
            Name = name,
            Environment = "test",
            DotnetEnvironment = "Test",
            SourceDirectory = StackDirectory,
            Services = [.. services],
            Secrets = [new SecretDefinition("token", SecretSourceKind.File, "token.txt"), new SecretDefinition("missing", SecretSourceKind.Env, "BERTH_TEST_UNSET_VARIABLE")],
        };
        new ServiceBuildManifest([new ServiceBuild(Stack.ResolvePath(BackendProject), AppContext.BaseDirectory, "Berth.Host.TestBackend.dll")]).Write(ManifestPath);
        Options = new StackOrchestratorOptions
        {
            StateDirectory = Path.Combine(_root, "state"),
            CgroupParent = $"berth/test-{Guid.NewGuid():N}",
            VolumesDirectory = Path.Combine(_root, "volumes"),
            ServiceManifestPath = ManifestPath,
            GatewayEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            UserSecretsId = null,
        };
        Orchestrator = new StackOrchestrator(Stack, Microsoft.Extensions.Options.Options.Create(Options), NullLoggerFactory.Instance, Output);
        Orchestrator.ReplicaChanged += Events.Record;
    }

    public StackDefinition Stack { get; }

    public StackOrchestratorOptions Options { get; }

    public StackOrchestrator Orchestrator { get; }

    public ReplicaEventLog Events { get; } = new();

    public CollectedOutput Output { get; } = new();

    public string StackDirectory => Path.Combine(_root, "stack");

    private string ManifestPath => Path.Combine(_root, ServiceBuildManifest.FileName);

    /// <summary>A service of the test backend on port 8080, with the variables that choose its behaviour.</summary>
    public static ServiceDefinition Backend(string name, params (string Name, string Value)[] env) => new()
    {
        Name = name,
        Project = BackendProject,
        Port = 8080,
        Env = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, env.Select(e => KeyValuePair.Create(e.Name, e.Value))),
    };

    /// <summary>An HTTP health check that notices quickly.</summary>
    public static HealthCheckDefinition QuickHealth { get; } = new()
    {
        Kind = HealthCheckKind.Http,
        HttpPath = "/health",
        Interval = TimeSpan.FromSeconds(1),
        Timeout = TimeSpan.FromSeconds(5),
        Retries = 3,
        StartPeriod = TimeSpan.FromSeconds(60),
    };

    public Task StartAsync() => Orchestrator.StartAsync(CancellationToken.None).WaitAsync(TestTimeouts.Generous);

    public Task StopAsync() => Orchestrator.StopAsync(CancellationToken.None).WaitAsync(TestTimeouts.Generous);

    public HttpClient Gateway() => new() { BaseAddress = Orchestrator.Network!.GatewayAddress, Timeout = TestTimeouts.Generous };

    /// <summary>No container's state, no cgroup, no mount of this stack's remains.</summary>
    public void AssertNothingLeft()
    {
        var containers = Path.Combine(Options.StateDirectory, "containers");
        Assert.Empty(Directory.Exists(containers) ? Directory.EnumerateFileSystemEntries(containers) : []);
        Assert.Empty(new CgroupFactory(CgroupLayout.Detect(), Options.CgroupParent).ListNames());
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), line => line.Contains(_root, StringComparison.Ordinal));
        Assert.Null(Orchestrator.Network);
    }

    public async ValueTask DisposeAsync()
    {
        await Orchestrator.DisposeAsync();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
