using Berth.Benchmarks.ContainerStart.Measurement;

namespace Berth.Benchmarks.ContainerStart.Contenders;

/// <summary>One way of running the busybox image's <c>true</c> and <c>sleep</c>.</summary>
internal interface IContender : IAsyncDisposable
{
    /// <summary>The name used with <c>--only</c>.</summary>
    string Key { get; }

    /// <summary>The name in the report.</summary>
    string Name { get; }

    /// <summary>Runs <c>/bin/true</c> to its end and removal; anything but a clean exit 0 throws.</summary>
    Task<RunTiming> RunTrueAsync();

    /// <summary>Starts a container running <c>/bin/sleep</c> and returns once it runs.</summary>
    Task<IRunningService> StartSleeperAsync();
}
