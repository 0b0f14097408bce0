using System.Net;
using Berth.Runtime;

namespace Berth.Host.Orchestration;

/// <summary>
/// Where the orchestrator keeps things and finds things. The <c>up</c> command binds these from the configuration
/// section <c>Berth</c> (so <c>Berth__StateDirectory=/run/berth-test</c> in the environment sets one); the defaults
/// suit a normal run.
/// </summary>
public sealed class StackOrchestratorOptions
{
    /// <summary>The runtime's state directory (containers' state). Default: <see cref="RuntimePaths.StateDirectory"/>.</summary>
    public string StateDirectory { get; set; } = RuntimePaths.StateDirectory;

    /// <summary>The cgroup, below the host's own, that holds the containers' cgroups. Default: <c>berth</c>.</summary>
    public string CgroupParent { get; set; } = RuntimePaths.CgroupParentName;

    /// <summary>
    /// Where named volumes live, one directory per stack and volume (<c>VOLUMES/STACK/NAME</c>). They outlive the
    /// stack, so not under the state directory, which is in <c>/run</c> and gone after a reboot. Default:
    /// <c>/var/lib/berth/volumes</c>, or <c>$XDG_DATA_HOME/berth/volumes</c> (else <c>~/.local/share/berth/volumes</c>)
    /// for a user other than root.
    /// </summary>
    public string VolumesDirectory { get; set; } = DefaultVolumesDirectory();

    /// <summary>The build's list of service projects and their output. Default: <c>berth.services.json</c> next to the application.</summary>
    public string ServiceManifestPath { get; set; } = System.IO.Path.Combine(AppContext.BaseDirectory, ServiceBuildManifest.FileName);

    /// <summary>Where the gateway listens instead of the stack's <c>[gateway]</c>; port 0 takes a free port. Null: the stack's.</summary>
    public IPEndPoint? GatewayEndPoint { get; set; }

    /// <summary>The stack project's <c>UserSecretsId</c>, for <c>user_secret</c> secrets. Default: the entry assembly's.</summary>
    public string? UserSecretsId { get; set; }

    /// <summary>The host's environment, for interpolation in <c>env</c> and for <c>env</c> secrets. Default: this process's.</summary>
    public Func<string, string?> HostVariable { get; set; } = Environment.GetEnvironmentVariable;

    private static string DefaultVolumesDirectory()
    {
        if (Tmds.Linux.LibC.geteuid() == 0)
        {
            return "/var/lib/berth/volumes";
        }

        var data = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return System.IO.Path.Combine(
            string.IsNullOrEmpty(data) ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share") : data,
            "berth",
            "volumes");
    }
}
