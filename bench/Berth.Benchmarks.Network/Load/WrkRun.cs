using Berth.Benchmarks.Network.Contenders;
using Berth.Benchmarks.Network.Cpus;
using Berth.Benchmarks.Network.Processes;

namespace Berth.Benchmarks.Network.Load;

/// <summary>Runs wrk for one contender, where that contender's load comes from, and reads its figures.</summary>
internal sealed class WrkRun(BenchTools tools, NetworkWorkspace workspace, WrkSettings settings)
{
    /// <summary>wrk stops itself after its duration; this much longer and it is killed.</summary>
    private static readonly TimeSpan s_grace = TimeSpan.FromSeconds(30);

    /// <summary>The command a contender is measured with in <paramref name="phase"/>.</summary>
    public PlacedCommand Command(Contender contender, CpuPhase phase, TimeSpan duration) =>
        PlacedCommand.For(tools, contender.Namespace, phase.WrkCpus, tools.Wrk!, "wrk", settings.Arguments(duration, workspace.WrkScript, contender.Url), workspace.Directory);

    public async Task<WrkResult> RunAsync(Contender contender, CpuPhase phase, TimeSpan duration)
    {
        var command = Command(contender, phase, duration);
        var output = await ToolProcess.RunAsync(command.Executable, command.Arguments, duration + s_grace).ConfigureAwait(false);
        return output.ExitCode == 0 && WrkResult.Parse(output.StandardOutput) is { } result
            ? result
            : throw new ContenderException($"`{command.Display}` exited with {output.ExitCode}: {(output.StandardError + output.StandardOutput).Trim()}");
    }
}
