namespace Berth.Benchmarks.ImageStart.Measurement;

/// <summary>
/// One run, in wall time: getting the image ready (<see cref="Image"/>: import and unpack for a cold contender,
/// finding it for a cached one, zero where there is nothing to do) and then the container's start, exit and
/// removal (<see cref="Container"/>). <see cref="Cpu"/> is the CPU time of this process and of the children it
/// waited for over the whole run (see <see cref="CpuUsage"/>).
/// </summary>
internal readonly record struct ImageRunTiming(TimeSpan Image, TimeSpan Container, CpuUsage Cpu)
{
    public TimeSpan Total => Image + Container;
}
