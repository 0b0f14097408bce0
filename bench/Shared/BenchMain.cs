namespace Berth.Benchmarks.Shared;

/// <summary>
/// The frame of every harness's <c>Main</c>: <c>--help</c>, the options, root, stopping on a signal, removing what
/// killed runs left, a fresh locked workspace, the run, its markdown report on standard output (headed by a warning
/// when the run was interrupted), and the cleanup whatever happened. Progress goes to standard error. Exits 0; 130
/// when interrupted; 2 on a bad option, without root, or when the benchmark cannot run as asked
/// (<see cref="BenchSetupException"/>).
/// </summary>
internal static class BenchMain
{
    /// <param name="usage">Printed for <c>--help</c>, and after the reason for a bad option.</param>
    /// <param name="parse">Reads the options; a <see cref="FormatException"/> says what is wrong with one.</param>
    /// <param name="rootReason">Why the harness needs root, printed when it is not.</param>
    /// <param name="run">Measures, into the workspace, until done or stopped.</param>
    /// <param name="write">Writes the report as markdown.</param>
    /// <param name="cannotRun">Checked after root: why there is nothing to run on this machine, or null.</param>
    public static async Task<int> RunAsync<TOptions, TWorkspace, TReport>(
        IReadOnlyList<string> args,
        string usage,
        Func<IReadOnlyList<string>, TOptions> parse,
        string rootReason,
        Func<TOptions, TWorkspace, TextWriter, CancellationToken, Task<TReport>> run,
        Action<TextWriter, TReport> write,
        Func<string?>? cannotRun = null)
        where TWorkspace : RunWorkspace, IRunWorkspace<TWorkspace>
        where TReport : IBenchReport
    {
        var log = Console.Error;
        if (args is ["--help"] or ["-h"])
        {
            await Console.Out.WriteLineAsync(usage).ConfigureAwait(false);
            return 0;
        }

        TOptions options;
        try
        {
            options = parse(args);
        }
        catch (FormatException e)
        {
            await log.WriteLineAsync($"{e.Message}\n\n{usage}").ConfigureAwait(false);
            return 2;
        }

        if (Tmds.Linux.LibC.geteuid() != 0)
        {
            await log.WriteLineAsync(rootReason).ConfigureAwait(false);
            return 2;
        }

        if (cannotRun?.Invoke() is { } reason)
        {
            await log.WriteLineAsync(reason).ConfigureAwait(false);
            return 2;
        }

        using var signals = new ShutdownSignals(log);
        foreach (var abandoned in RunDirectory.AdoptAbandoned(TWorkspace.RootDirectory).Select(TWorkspace.Open))
        {
            await log.WriteLineAsync($"Removing what an earlier run left: {abandoned.Run.Path}").ConfigureAwait(false);
            await TWorkspace.CleanUpAsync(abandoned, log).ConfigureAwait(false);
        }

        var workspace = TWorkspace.Open(RunDirectory.Create(TWorkspace.RootDirectory));
        try
        {
            await log.WriteLineAsync($"Workspace {workspace.Run.Path}").ConfigureAwait(false);
            var report = await run(options, workspace, log, signals.Token).ConfigureAwait(false);
            if (report.Interrupted)
            {
                await Console.Out.WriteLineAsync("**Interrupted: the numbers below are from a partial run.**\n").ConfigureAwait(false);
            }

            write(Console.Out, report);
            return report.Interrupted ? 130 : 0;
        }
        catch (BenchSetupException e)
        {
            await log.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 2;
        }
        finally
        {
            await log.WriteLineAsync("Cleaning up.").ConfigureAwait(false);
            await TWorkspace.CleanUpAsync(workspace, log).ConfigureAwait(false);
        }
    }
}
