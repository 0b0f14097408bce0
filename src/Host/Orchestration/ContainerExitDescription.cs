using Berth.Runtime.Containers;

namespace Berth.Host.Orchestration;

/// <summary>What an exit means for a service: success or failure, and how to say it.</summary>
public static class ContainerExitDescription
{
    /// <summary>Exit code 0, neither killed nor out of memory.</summary>
    public static bool Succeeded(this ContainerExit exit)
    {
        ArgumentNullException.ThrowIfNull(exit);
        return exit is { ExitCode: 0, Signal: null, OomKilled: false };
    }

    /// <summary>"exit code 3", "killed by signal 9", "killed for exceeding its memory limit".</summary>
    public static string Describe(this ContainerExit exit)
    {
        ArgumentNullException.ThrowIfNull(exit);
        return exit switch
        {
            { OomKilled: true } => "killed for exceeding its memory limit",
            { Signal: { } signal } => $"killed by signal {signal}{SignalName(signal)}",
            _ => $"exit code {exit.ExitCode}",
        };
    }

    private static string SignalName(int signal) => signal switch
    {
        2 => " (SIGINT)",
        6 => " (SIGABRT)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        15 => " (SIGTERM)",
        _ => string.Empty,
    };
}
