using System.Globalization;

namespace Berth.Benchmarks.Network.Cpus;

/// <summary>
/// How the cores are shared during one set of rounds. Unpinned, wrk, the proxy and the backend compete for all of
/// them, as on a small machine that runs everything; pinned, wrk has a core of its own and everything that serves
/// (this process with the gateway, mesh and forwarder; nginx; the backend, started on those cores) shares the rest,
/// so the load generator's own CPU no longer counts against the path it measures.
/// </summary>
/// <param name="WrkCpus">taskset's list for wrk, or null for no pinning.</param>
/// <param name="ServerCpus">taskset's list for the servers, or null for no pinning.</param>
/// <param name="ServerCores">How many cores the servers may use: nginx's <c>worker_processes</c>.</param>
internal sealed record CpuPhase(string Key, string Description, string? WrkCpus, string? ServerCpus, int ServerCores)
{
    public const string SharedKey = "shared";

    public const string SplitKey = "split";

    public static readonly IReadOnlyList<string> Keys = [SharedKey, SplitKey];

    public bool Pinned => WrkCpus is not null;

    public static CpuPhase Shared(IReadOnlyList<int> cpus) =>
        new(SharedKey, Invariant($"unpinned: wrk, the proxy and the backend share the {cpus.Count} cores (CPUs {CpuList.Format(cpus)})"), null, null, cpus.Count);

    /// <summary>wrk on the last allowed CPU, the servers on the others; null when there is only one.</summary>
    public static CpuPhase? Split(IReadOnlyList<int> cpus)
    {
        if (cpus.Count < 2)
        {
            return null;
        }

        var wrk = CpuList.Format([cpus[^1]]);
        var servers = CpuList.Format(cpus.Take(cpus.Count - 1));
        return new(SplitKey, $"pinned with taskset: wrk on CPU {wrk}; this process (gateway, mesh, forwarder), nginx and the backend started on CPU {servers}", wrk, servers, cpus.Count - 1);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
