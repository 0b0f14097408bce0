namespace Berth.Benchmarks.Shared;

/// <summary>
/// A harness's workspace (a <see cref="RunWorkspace"/>): one run's locked <see cref="RunDirectory"/> below the
/// harness's own root, with the names the harness gives what it makes there. <see cref="BenchMain"/> makes one per
/// run, adopts the ones killed runs left, and cleans each up through <see cref="CleanUpAsync"/>.
/// </summary>
internal interface IRunWorkspace<TSelf>
    where TSelf : RunWorkspace, IRunWorkspace<TSelf>
{
    /// <summary>The directory below which each run has its own (<c>/run/berth-bench…</c>).</summary>
    static abstract string RootDirectory { get; }

    /// <summary>The workspace in a run directory, locked by this process.</summary>
    static abstract TSelf Open(RunDirectory run);

    /// <summary>Removes everything a run made; each step runs even if one before it failed, the failures are logged together.</summary>
    static abstract Task CleanUpAsync(TSelf workspace, TextWriter log);
}
