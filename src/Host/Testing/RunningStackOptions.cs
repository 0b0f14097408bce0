using Berth.Host.Orchestration;
using Microsoft.Extensions.Logging;

namespace Berth.Host.Testing;

/// <summary>
/// How <see cref="RunningStack"/> runs a stack in a test. The defaults keep each run apart from every other: the
/// gateway and published ports on free ports, named volumes in a directory of the run's own.
/// </summary>
public sealed class RunningStackOptions
{
    /// <summary>The gateway's port on the stack's <c>[gateway] bind</c> address. Default 0: a free port (see <see cref="RunningStack.Gateway"/>).</summary>
    public int GatewayPort { get; set; }

    /// <summary>
    /// Receives the run's lines as <c>up</c> prints them, without colours: each replica's progress (starting,
    /// healthy, exited, …), the summary, the replicas' own output (<c>catalog-1 | line</c>) and the host's warnings.
    /// With xUnit: <c>Output = testOutput.WriteLine</c>. A sink that throws (xUnit's after its test has ended) is
    /// ignored. Default: nothing.
    /// </summary>
    public Action<string>? Output { get; set; }

    /// <summary>
    /// Where the host's own log goes (categories <c>Berth.*</c>), and without <see cref="Output"/> the replicas' lines
    /// (category <c>Berth.Replicas</c>). Default: warnings and errors to <see cref="Output"/>, if set.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Variables that <c>${VAR}</c> in <c>env</c> and <c>env</c> secrets read, before this process's environment:
    /// a test's secrets and settings without touching the process. A null value reads as unset.
    /// </summary>
    public IDictionary<string, string?> HostVariables { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>
    /// Changes the stack as resolved for the environment before it runs: more replicas, another variable, a service
    /// switched off (<c>Replicas = 0</c>). Published ports are already on free ports (host port 0) when it is called.
    /// Example: <c>stack =&gt; stack.WithService("catalog", s =&gt; s with { Env = s.Env.SetItem("FEATURE", "on") })</c>.
    /// </summary>
    public Func<StackDefinition, StackDefinition>? ConfigureStack { get; set; }

    /// <summary>The runtime's state directory. Default: that of <c>up</c> (<c>/run/berth</c>).</summary>
    public string? StateDirectory { get; set; }

    /// <summary>The cgroup, below the test process's own, that holds the containers'. Default: that of <c>up</c> (<c>berth</c>).</summary>
    public string? CgroupParent { get; set; }

    /// <summary>
    /// Where named volumes live (<c>VOLUMES/STACK/NAME</c>), kept after the run. Default: a directory of the run's
    /// own, <c>STATE/volumes/RUN</c>, that <see cref="RunningStack.DisposeAsync"/> deletes, so each run starts with
    /// empty volumes.
    /// </summary>
    public string? VolumesDirectory { get; set; }

    /// <summary>
    /// The build's list of service projects (<c>berth.services.json</c>). Default: the one next to the test assembly,
    /// which the build copies there from a referenced stack project.
    /// </summary>
    public string? ServiceManifestPath { get; set; }

    /// <summary>The <c>UserSecretsId</c> that <c>user_secret</c> secrets are read with. Default: the stack project's.</summary>
    public string? UserSecretsId { get; set; }

    internal string EffectiveStateDirectory => StateDirectory ?? Runtime.RuntimePaths.StateDirectory;

    internal StackOrchestratorOptions ToOrchestratorOptions(StackDefinition stack, string volumesDirectory, string? stackUserSecretsId)
    {
        var defaults = new StackOrchestratorOptions();
        var variables = new Dictionary<string, string?>(HostVariables, StringComparer.Ordinal);
        return new StackOrchestratorOptions
        {
            StateDirectory = EffectiveStateDirectory,
            CgroupParent = CgroupParent ?? defaults.CgroupParent,
            VolumesDirectory = volumesDirectory,
            ServiceManifestPath = ServiceManifestPath ?? defaults.ServiceManifestPath,
            GatewayEndPoint = new System.Net.IPEndPoint(System.Net.IPAddress.Parse(stack.Gateway.Bind), GatewayPort),
            UserSecretsId = UserSecretsId ?? stackUserSecretsId,
            HostVariable = name => variables.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name),
        };
    }
}
