using Berth.Benchmarks.StackStart.Processes;

namespace Berth.Benchmarks.StackStart.Contenders;

/// <summary>One way of starting the five services: bare processes, a Berth stack, an Aspire app host.</summary>
internal interface IContender
{
    string Key { get; }

    /// <summary>The row's name in the report.</summary>
    string Name { get; }

    /// <summary>What it starts, as a person would type it (paths relative to the workload folder).</summary>
    string Command { get; }

    /// <summary>
    /// Starts the five services the contender's way; returns at once, with the processes started and the URL of each
    /// service's <c>/</c> as a client reaches it. <paramref name="origin"/> is the round's start (a Stopwatch timestamp).
    /// </summary>
    RunningStack Start(long origin);

    /// <summary>What a process below this contender is (the host, a service, …), for the memory breakdown.</summary>
    string RoleOf(ProcessInfo process, RunningStack stack);

    /// <summary>What a stop left behind besides processes (state, cgroups, files), one line each; checked after every round.</summary>
    IReadOnlyList<string> Leftovers();
}
