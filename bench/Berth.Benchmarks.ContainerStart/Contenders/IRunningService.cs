namespace Berth.Benchmarks.ContainerStart.Contenders;

/// <summary>A running sleeper; disposing kills it and removes whatever its contender made for it.</summary>
internal interface IRunningService : IAsyncDisposable
{
    /// <summary>The service process as the host sees it (in a container: its PID 1).</summary>
    int Pid { get; }
}
