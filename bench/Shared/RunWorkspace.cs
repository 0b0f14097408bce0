namespace Berth.Benchmarks.Shared;

/// <summary>What every harness's workspace has: the run's locked directory, and Berth's state directory in it.</summary>
internal abstract class RunWorkspace(RunDirectory run) : IDisposable
{
    public RunDirectory Run { get; } = run;

    public string Directory => Run.Path;

    /// <summary>Berth's state directory for the run's containers (<c>containers/ID</c> below it).</summary>
    public string BerthState => Path.Combine(Directory, "berth");

    public void Dispose() => Run.Dispose();
}
