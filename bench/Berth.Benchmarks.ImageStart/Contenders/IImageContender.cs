using Berth.Benchmarks.ImageStart.Images;
using Berth.Benchmarks.ImageStart.Measurement;

namespace Berth.Benchmarks.ImageStart.Contenders;

/// <summary>One way of getting from an image to <c>/bin/true</c> run in a container of it, and the container gone.</summary>
internal interface IImageContender : IAsyncDisposable
{
    /// <summary>The name used with <c>--only</c>.</summary>
    string Key { get; }

    /// <summary>The name in the report.</summary>
    string Name { get; }

    /// <summary>What one run includes, for the report.</summary>
    string Timed { get; }

    /// <summary>Makes what every run of the image starts from (the image stored and unpacked, for a cached contender); not timed.</summary>
    Task PrepareAsync(BenchImage image);

    /// <summary>Runs <c>/bin/true</c> in a container of the image to its end and removal; anything but a clean exit 0 throws.</summary>
    Task<ImageRunTiming> RunAsync(BenchImage image);

    /// <summary>Removes what the run made that the next must not find (a cold contender's image); not timed.</summary>
    Task ResetAsync(BenchImage image);
}
