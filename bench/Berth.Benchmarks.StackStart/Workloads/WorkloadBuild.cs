using System.Diagnostics;

namespace Berth.Benchmarks.StackStart.Workloads;

/// <summary>
/// Builds what the contenders run, before anything is measured: the Berth stack project (whose build builds the five
/// services, as <c>dotnet run</c> on a stack does) and the Aspire app host (which references them). Then times the
/// build that <c>dotnet run</c> does first when nothing changed (the build check), a few times per stack project.
/// </summary>
internal static class WorkloadBuild
{
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(20);

    /// <summary>The projects to build for the contenders asked for: each stack project, or the services alone.</summary>
    public static IReadOnlyList<(string Name, string Project)> Projects(Workload workload, IReadOnlySet<string> contenders)
    {
        var projects = new List<(string, string)>();
        if (contenders.Contains(Contenders.ContenderKeys.Berth))
        {
            projects.Add(("Berth stack", workload.BerthStackProject));
        }

        if (contenders.Contains(Contenders.ContenderKeys.Aspire))
        {
            projects.Add(("Aspire app host", workload.AspireAppHostProject));
        }

        return projects.Count > 0
            ? projects
            : [.. Enumerable.Range(0, Workload.ServiceCount).Select(i => ($"service {i + 1}", workload.ServiceProject(i)))];
    }

    public static async Task BuildAsync(string dotnet, IReadOnlyList<(string Name, string Project)> projects, TextWriter log, CancellationToken cancellationToken)
    {
        foreach (var (name, project) in projects)
        {
            await log.WriteLineAsync($"Building the {name} ({Path.GetFileName(project)}, {Workload.Configuration}).").ConfigureAwait(false);
            var (took, _) = await RunBuildAsync(dotnet, project, cancellationToken).ConfigureAwait(false);
            await log.WriteLineAsync($"  built in {took.TotalSeconds:0.0} s").ConfigureAwait(false);
        }
    }

    /// <summary>Times <c>dotnet build</c> of each project when it is up to date, <paramref name="times"/> times each.</summary>
    public static async Task<IReadOnlyList<BuildCheck>> TimeBuildChecksAsync(string dotnet, IReadOnlyList<(string Name, string Project)> projects, int times, TextWriter log, CancellationToken cancellationToken)
    {
        var checks = new List<BuildCheck>();
        foreach (var (name, project) in projects)
        {
            var durations = new List<TimeSpan>();
            for (var i = 0; i < times && !cancellationToken.IsCancellationRequested; i++)
            {
                var (took, _) = await RunBuildAsync(dotnet, project, cancellationToken).ConfigureAwait(false);
                durations.Add(took);
            }

            if (durations.Count > 0)
            {
                checks.Add(new BuildCheck(name, $"dotnet build -c {Workload.Configuration} {Path.GetRelativePath(Environment.CurrentDirectory, project)}", durations));
                await log.WriteLineAsync($"Build check of the {name}: {string.Join(", ", durations.Select(d => $"{d.TotalSeconds:0.00} s"))}").ConfigureAwait(false);
            }
        }

        return checks;
    }

    private static async Task<(TimeSpan Took, string Output)> RunBuildAsync(string dotnet, string project, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { "build", project, "-c", Workload.Configuration, "-nologo", "-v:q" },
        };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(startInfo) ?? throw new BenchSetupException($"{dotnet} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_buildTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new BenchSetupException($"Building {project} did not finish (stopped, or over {s_buildTimeout.TotalMinutes:0} minutes).");
        }

        var took = clock.Elapsed;
        var text = await output.ConfigureAwait(false) + await error.ConfigureAwait(false);
        return process.ExitCode == 0
            ? (took, text)
            : throw new BenchSetupException($"Building {project} failed (exit code {process.ExitCode}):\n{text.Trim()}");
    }
}
