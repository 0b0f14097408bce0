using System.Collections.Concurrent;
using Berth.Host.Testing;

namespace Shop.Tests;

/// <summary>
/// The options of one run of the shop: a state directory and cgroup parent of its own (so that what a run leaves
/// behind can be looked for exactly, and runs never meet), and the run's lines as `up` prints them.
/// </summary>
internal sealed class ShopRun : IDisposable
{
    /// <summary>A bound for a start or a stop of the whole shop, generous for a loaded machine: hitting it is a failure, not a race.</summary>
    public static readonly TimeSpan Generous = TimeSpan.FromMinutes(4);

    private readonly string _root = Path.Combine("/run/berth", $"test-{Guid.NewGuid():N}");
    private readonly ConcurrentQueue<string> _lines = new();

    public ShopRun()
    {
        Options = new RunningStackOptions
        {
            StateDirectory = StateDirectory,
            CgroupParent = CgroupParent,
            Output = _lines.Enqueue,
        };
    }

    public RunningStackOptions Options { get; }

    public string StateDirectory => Path.Combine(_root, "state");

    public string CgroupParent { get; } = $"berth/test-{Guid.NewGuid():N}";

    /// <summary>Where the run's named volumes are, whoever chose it.</summary>
    public string VolumesRoot => Options.VolumesDirectory ?? Path.Combine(StateDirectory, "volumes");

    public IReadOnlyCollection<string> Lines => _lines;

    public string Transcript => string.Join('\n', _lines);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
