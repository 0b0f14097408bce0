namespace Berth.Benchmarks.Network.Measurement;

/// <summary>
/// CPU time (user and system) so far of everything that takes part in a run: this process (the host: gateway,
/// mesh and forwarder), wrk (a child, counted once it has been waited for), the backend's container and nginx.
/// On a loaded machine wall time mostly measures waiting for a core; CPU time per request says what a path costs
/// whatever the load.
/// </summary>
internal readonly record struct CpuSample(TimeSpan Host, TimeSpan Wrk, TimeSpan Backend, TimeSpan Nginx)
{
    public static CpuSample operator -(CpuSample later, CpuSample earlier) =>
        new(later.Host - earlier.Host, later.Wrk - earlier.Wrk, later.Backend - earlier.Backend, later.Nginx - earlier.Nginx);
}
