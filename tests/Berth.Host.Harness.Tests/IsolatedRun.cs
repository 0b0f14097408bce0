using System.Collections.Concurrent;
using Berth.Host.Testing;
using Berth.Runtime.Cgroups;

namespace Berth.Host.Harness.Tests;

/// <summary>
/// Options for one run with a state directory and cgroup parent of its own, so that what the run leaves behind can be
/// looked for exactly; and the run's output lines, as a test would route them to its output.
/// </summary>
internal sealed class IsolatedRun : IDisposable
{
    /// <summary>A bound for a stack's start and stop, generous for a loaded machine: hitting it is a failure, not a race.</summary>
    public static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);

    private readonly string _root = Path.Combine("/run/berth", $"test-{Guid.NewGuid():N}");
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly CancellationTokenSource _timeout = new(Generous);

    public IsolatedRun()
    {
        Options = new RunningStackOptions
        {
            StateDirectory = StateDirectory,
            CgroupParent = $"berth/test-{Guid.NewGuid():N}",
            Output = _lines.Enqueue,
        };
    }

    public RunningStackOptions Options { get; }

    public string StateDirectory => Path.Combine(_root, "state");

    /// <summary>Cancelled when the run has taken <see cref="Generous"/>.</summary>
    public CancellationToken Timeout => _timeout.Token;

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>No container's state, volume, cgroup or mount of this run remains, and none of <paramref name="processes"/> runs.</summary>
    public void AssertNothingLeft(params int[] processes)
    {
        foreach (var kind in new[] { "containers", "volumes" })
        {
            var directory = Path.Combine(StateDirectory, kind);
            Assert.Empty(Directory.Exists(directory) ? Directory.EnumerateFileSystemEntries(directory) : []);
        }

        Assert.Empty(new CgroupFactory(CgroupLayout.Detect(), Options.CgroupParent!).ListNames());
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), line => line.Contains(_root, StringComparison.Ordinal));
        Assert.All(processes, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} still runs"));
    }

    public void Dispose()
    {
        _timeout.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
