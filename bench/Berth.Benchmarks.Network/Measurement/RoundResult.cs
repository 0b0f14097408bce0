using Berth.Benchmarks.Network.Load;

namespace Berth.Benchmarks.Network.Measurement;

/// <summary>One measured wrk run and the CPU time each participant spent during it.</summary>
internal sealed record RoundResult(WrkResult Load, CpuSample Cpu)
{
    /// <summary>CPU time per request, in microseconds.</summary>
    public double PerRequest(TimeSpan cpu) => cpu.TotalMicroseconds / Load.Requests;
}
