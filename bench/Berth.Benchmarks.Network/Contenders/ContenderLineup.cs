using System.Globalization;
using Berth.Benchmarks.Network.Backend;

namespace Berth.Benchmarks.Network.Contenders;

/// <summary>
/// The paths to the backend, in report order, that this machine can run, and those it cannot with the reason. The
/// direct path and nginx run wrk in the backend's own namespace, so they share its loopback; the gateway and the
/// published port are reached from the host; the mesh from the caller's container.
/// </summary>
internal sealed class ContenderLineup
{
    public const string Direct = "direct";
    public const string Nginx = "nginx";
    public const string Gateway = "gateway";
    public const string Mesh = "mesh";
    public const string Layer4 = "l4";

    /// <summary>The port nginx listens on inside the backend's namespace (nothing else listens there but the backend).</summary>
    public const int NginxPort = 8090;

    public static readonly IReadOnlyList<string> Keys = [Direct, Nginx, Gateway, Mesh, Layer4];

    private ContenderLineup(IReadOnlyList<Contender> contenders, IReadOnlyList<SkippedContender> skipped)
    {
        Contenders = contenders;
        Skipped = skipped;
    }

    public IReadOnlyList<Contender> Contenders { get; }

    public IReadOnlyList<SkippedContender> Skipped { get; }

    public static ContenderLineup Create(BenchTopology topology, BenchTools tools, IReadOnlySet<string> wanted)
    {
        var backend = topology.Backend;
        var caller = topology.Caller;
        var inBackend = new NetworkNamespace("backend", backend.Pid, (endPoint, token) => backend.Network.ConnectAsync(endPoint, token));
        var inCaller = new NetworkNamespace("caller", caller.Pid, (endPoint, token) => caller.Network.ConnectAsync(endPoint, token));
        var candidates = new (Contender Contender, string? Missing)[]
        {
            (new Contender(Direct, "direct", "wrk → backend, both in the backend's namespace", BenchTopology.DirectUrl, inBackend),
                NeedsNsenter(tools)),
            (new Contender(Nginx, "nginx, upstream keepalive", "wrk → nginx → backend, all in the backend's namespace",
                new Uri($"http://127.0.0.1:{NginxPort.ToString(CultureInfo.InvariantCulture)}/"), inBackend),
                NeedsNsenter(tools) ?? (tools.Nginx is null ? "nginx is not installed (Debian: apt-get install nginx)" : null)),
            (new Contender(Gateway, "Berth gateway", "wrk on the host → the gateway (Kestrel + YARP, this process) → backend", topology.Network.GatewayAddress, NetworkNamespace.Host),
                null),
            (new Contender(Mesh, "Berth mesh, container to container", "wrk in the caller's namespace → the host's listener there → Kestrel + YARP → backend", topology.MeshUrl, inCaller),
                NeedsNsenter(tools)),
            (new Contender(Layer4, "Berth L4 forwarder (published port)", "wrk on the host → the published port's TCP forwarder (this process) → backend", topology.PublishedUrl, NetworkNamespace.Host),
                null),
        };

        var chosen = candidates.Where(c => wanted.Contains(c.Contender.Key)).ToList();
        return new ContenderLineup(
            [.. chosen.Where(c => c.Missing is null).Select(c => c.Contender)],
            [.. chosen.Where(c => c.Missing is not null).Select(c => new SkippedContender(c.Contender.Key, c.Contender.Name, c.Missing!))]);
    }

    private static string? NeedsNsenter(BenchTools tools) =>
        tools.Nsenter is null ? "nsenter is not installed (Debian: util-linux), so wrk cannot run in a container's namespace" : null;
}
