using System.Diagnostics;
using Berth.Benchmarks.Network.Backend;
using Berth.Benchmarks.Network.Contenders;
using Berth.Benchmarks.Network.Cpus;
using Berth.Benchmarks.Network.Load;
using Berth.Benchmarks.Network.Measurement;
using Berth.Benchmarks.Network.Proxies;
using Berth.Benchmarks.Network.Report;

namespace Berth.Benchmarks.Network;

/// <summary>
/// Requests through Berth's network against the same small backend: directly in its namespace, through the
/// gateway, container to container through the mesh, through a published port's layer-4 forwarder, and through
/// nginx as the anchor; wrk makes the load. Progress goes to standard error, the markdown report to standard
/// output. Inside the backend's and the caller's containers, the same assembly runs as the service.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        switch (args)
        {
            case [BenchBackend.BackendArgument]:
                await BenchBackend.RunAsync().ConfigureAwait(false);
                return 0;
            case [BenchBackend.IdleArgument]:
                BenchBackend.Idle();
                return 0;
        }

        var tools = BenchTools.Find();
        return await BenchMain.RunAsync<BenchOptions, NetworkWorkspace, BenchReport>(
            args,
            BenchOptions.Usage,
            BenchOptions.Parse,
            "Run as root: the backend runs in a container, and wrk and nginx enter its network namespace.",
            (options, workspace, log, stop) => RunAsync(options, tools, workspace, log, stop),
            MarkdownReport.Write,
            cannotRun: () => tools.Wrk is null
                ? "wrk is not installed (Debian: apt-get install wrk): every path is measured with it, so there is nothing to run."
                : null).ConfigureAwait(false);
    }

    private static async Task<BenchReport> RunAsync(BenchOptions options, BenchTools tools, NetworkWorkspace workspace, TextWriter log, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var machine = await MachineDescription.DescribeAsync(tools).ConfigureAwait(false);
        var load = new LoadMonitor();
        WrkScript.Write(workspace.WrkScript);

        var (phases, notes) = PlanPhases(options, tools);
        foreach (var note in notes)
        {
            await log.WriteLineAsync(note).ConfigureAwait(false);
        }

        var wrk = new WrkRun(tools, workspace, options.Wrk);
        var results = new List<PhaseResult>();
        IReadOnlyList<SkippedContender> skipped = [];
        foreach (var phase in phases.TakeWhile(_ => !stop.IsCancellationRequested))
        {
            var (result, phaseSkipped) = await RunPhaseAsync(phase, options, tools, workspace, wrk, load, log, stop).ConfigureAwait(false);
            if (results.Count == 0)
            {
                skipped = phaseSkipped;
            }

            results.Add(result);
        }

        return new BenchReport(options, skipped, results, notes, machine, load, clock.Elapsed, stop.IsCancellationRequested);
    }

    /// <summary>One CPU arrangement: pin, start the stack and nginx, measure, stop them all again.</summary>
    private static async Task<(PhaseResult Result, IReadOnlyList<SkippedContender> Skipped)> RunPhaseAsync(
        CpuPhase phase, BenchOptions options, BenchTools tools, NetworkWorkspace workspace, WrkRun wrk, LoadMonitor load, TextWriter log, CancellationToken stop)
    {
        await log.WriteLineAsync($"Phase: {phase.Description}").ConfigureAwait(false);

        // Pinned first, then started: the containers and nginx inherit the CPUs from their start, so the backend's
        // runtime sizes its thread pool and GC for the cores it has, as it would on a machine that small.
        await using var pinning = await ServerPinning.ApplyAsync(phase, tools.Taskset).ConfigureAwait(false);
        await log.WriteLineAsync("Starting the stack: the gateway, the backend's and the caller's containers, the mesh.").ConfigureAwait(false);
        await using var topology = await BenchTopology.StartAsync(workspace, stop).ConfigureAwait(false);
        var lineup = ContenderLineup.Create(topology, tools, options.Contenders);
        foreach (var skip in lineup.Skipped)
        {
            await log.WriteLineAsync($"Skipping {skip.Name}: {skip.Reason}").ConfigureAwait(false);
        }

        var cpu = new CpuMeter(topology.Backend);
        var failed = new Dictionary<string, string>(StringComparer.Ordinal);
        var nginx = lineup.Contenders.FirstOrDefault(c => c.Key == ContenderLineup.Nginx) is { } anchor
            ? await StartNginxAsync(tools, workspace, anchor, phase, options, failed, stop).ConfigureAwait(false)
            : null;
        try
        {
            cpu.NginxPids = nginx?.Pids ?? [];
            var run = new PhaseRun(wrk, options.Wrk, options.Rounds, cpu, load, log);
            return (await run.RunAsync(phase, lineup.Contenders, failed, nginx?.Command, stop).ConfigureAwait(false), lineup.Skipped);
        }
        finally
        {
            if (nginx is not null)
            {
                await nginx.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>nginx for one phase (its workers follow the phase's cores); a failure to start is that contender's.</summary>
    private static async Task<NginxProxy?> StartNginxAsync(BenchTools tools, NetworkWorkspace workspace, Contender anchor, CpuPhase phase, BenchOptions options, Dictionary<string, string> failed, CancellationToken stop)
    {
        try
        {
            return await NginxProxy.StartAsync(tools, workspace, anchor, phase, options.Connections, stop).ConfigureAwait(false);
        }
        catch (ContenderException e)
        {
            failed[anchor.Key] = e.Message;
            return null;
        }
    }

    /// <summary>The CPU arrangements asked for that this machine can do; a note for each one it cannot.</summary>
    private static (List<CpuPhase> Phases, List<string> Notes) PlanPhases(BenchOptions options, BenchTools tools)
    {
        var cpus = CpuList.Allowed();
        var phases = new List<CpuPhase>();
        var notes = new List<string>();
        foreach (var key in options.Phases)
        {
            if (key == CpuPhase.SharedKey)
            {
                phases.Add(CpuPhase.Shared(cpus));
            }
            else if (tools.Taskset is null)
            {
                notes.Add("Pinned rounds skipped: taskset is not installed (Debian: util-linux).");
            }
            else if (CpuPhase.Split(cpus) is { } split)
            {
                phases.Add(split);
            }
            else
            {
                notes.Add("Pinned rounds skipped: this process may use only one CPU.");
            }
        }

        return (phases, notes);
    }
}
