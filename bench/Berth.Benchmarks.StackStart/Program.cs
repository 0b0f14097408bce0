using System.Diagnostics;
using Berth.Benchmarks.StackStart.Contenders;
using Berth.Benchmarks.StackStart.Measurement;
using Berth.Benchmarks.StackStart.Processes;
using Berth.Benchmarks.StackStart.Report;
using Berth.Benchmarks.StackStart.Workloads;

namespace Berth.Benchmarks.StackStart;

/// <summary>
/// Starting a stack of five trivial ASP.NET Core services: as bare processes (the floor), as a Berth stack and as an
/// Aspire app host, taking turns round by round. Progress goes to standard error, the markdown report to standard output.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => BenchMain.RunAsync<BenchOptions, StackWorkspace, BenchReport>(
        args,
        BenchOptions.Usage,
        BenchOptions.Parse,
        "Run as root: the Berth stack's containers need namespaces, mounts and cgroups.",
        RunAsync,
        MarkdownReport.Write);

    private static async Task<BenchReport> RunAsync(BenchOptions options, StackWorkspace workspace, TextWriter log, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath)
            ? hostPath
            : ToolLocator.Find("dotnet") ?? throw new BenchSetupException("dotnet is not on PATH.");
        var workload = Workload.Find();
        var machine = MachineDescription.Describe(dotnet);
        var firstLoad = LoadAverage.Read();

        // Builds first, and before this process becomes a subreaper: a build server a build leaves running is no contender's.
        var projects = WorkloadBuild.Projects(workload, options.Contenders);
        if (options.Build)
        {
            await WorkloadBuild.BuildAsync(dotnet, projects, log, stop).ConfigureAwait(false);
        }

        var buildChecks = await WorkloadBuild.TimeBuildChecksAsync(dotnet, projects, options.BuildChecks, log, stop).ConfigureAwait(false);

        Subreaper.Become();
        if (ProcessInfo.DescendantsOf(Environment.ProcessId).FirstOrDefault(p => !p.IsZombie) is { } stray)
        {
            throw new BenchSetupException($"Process {stray.Pid} ({stray.WithCommandLine().CommandLine}) runs below the benchmark before any round: every process below it would count as a contender's.");
        }

        IContender[] all =
        [
            new FloorContender(workload, dotnet),
            BerthContender.Standard(workload, dotnet, workspace, options.BerthEnvironment),
            new AspireContender(workload, dotnet),
        ];
        var contenders = all.Where(c => options.Contenders.Contains(c.Key)).ToList();
        var results = new List<RunResult>();
        using var probe = new ReadinessProbe();
        var runner = new RoundRunner(options, probe);
        for (var round = 0; round < options.Warmup + options.Rounds && !stop.IsCancellationRequested; round++)
        {
            var warmup = round < options.Warmup;
            var number = warmup ? round + 1 : round - options.Warmup + 1;

            // A rotating order: no contender always runs right after the same other one, or always first.
            foreach (var contender in contenders.Skip(round % contenders.Count).Concat(contenders.Take(round % contenders.Count)))
            {
                if (stop.IsCancellationRequested)
                {
                    break;
                }

                await log.WriteLineAsync($"{(warmup ? "Warm-up" : "Round")} {number}: {contender.Key} (load {LoadAverage.Read()})").ConfigureAwait(false);
                var result = await runner.RunAsync(contender, number, warmup).ConfigureAwait(false);
                results.Add(result);
                await log.WriteLineAsync(ProgressLine.Of(result)).ConfigureAwait(false);
                await Task.Delay(options.Pause, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return new BenchReport(options, contenders, results, buildChecks, machine, firstLoad, LoadAverage.Read(), clock.Elapsed, stop.IsCancellationRequested);
    }
}
