using System.Threading.Channels;
using Berth.Host.Orchestration;
using Microsoft.Extensions.Options;

namespace Berth.Host.Control;

/// <summary>
/// The last lines of each replica's output (bounded by <see cref="StackControlOptions"/>), for <c>logs</c>, and
/// the new ones as they come, for <c>logs --follow</c>. Writing never waits for a reader: a follower that falls
/// more than <see cref="FollowerBacklog"/> lines behind misses the oldest of them.
/// </summary>
internal sealed class ReplicaLogs(IOptions<StackControlOptions> options, TimeProvider? time = null) : IReplicaOutput
{
    public const int FollowerBacklog = 10_000;

    private readonly StackControlOptions _options = options.Value;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Ring> _replicas = new(StringComparer.Ordinal);
    private readonly List<Follower> _followers = [];
    private long _sequence;
    private bool _completed;

    public void Write(string replica, ReplicaOutputStream stream, string line)
    {
        var text = line.Length > _options.LogLineCharacters ? string.Concat(line.AsSpan(0, _options.LogLineCharacters), " [cut]") : line;
        var service = ReplicaNames.ServiceOf(replica);
        lock (_lock)
        {
            var entry = new ReplicaLogLine(++_sequence, _time.GetUtcNow(), service, replica, stream == ReplicaOutputStream.StandardError ? "stderr" : "stdout", text);
            if (!_replicas.TryGetValue(replica, out var ring))
            {
                ring = new Ring(service);
                _replicas[replica] = ring;
            }

            ring.Add(entry, _options.LogLinesPerReplica, _options.LogCharactersPerReplica);
            foreach (var follower in _followers)
            {
                if (follower.Service is null || follower.Service == service)
                {
                    follower.Lines.Writer.TryWrite(entry);
                }
            }
        }
    }

    /// <summary>
    /// The kept lines of <paramref name="service"/>'s replicas (every service's for null), at most
    /// <paramref name="tail"/> of each replica, in the order they came; with <paramref name="follow"/>, also every
    /// line from then on, none lost or repeated between the two, until <see cref="Complete"/>.
    /// </summary>
    public LogReading Read(string? service, int? tail, bool follow)
    {
        lock (_lock)
        {
            var kept = _replicas
                .Where(r => service is null || r.Value.Service == service)
                .SelectMany(r => tail is { } n ? r.Value.Lines.Skip(Math.Max(0, r.Value.Lines.Count - n)) : r.Value.Lines)
                .OrderBy(l => l.Sequence)
                .ToList();
            if (!follow || _completed)
            {
                return new LogReading(kept, null, () => { });
            }

            var follower = new Follower(service);
            _followers.Add(follower);
            return new LogReading(kept, follower.Lines.Reader, () => Unfollow(follower));
        }
    }

    /// <summary>The stack has stopped: no line comes any more, and every follower's reading ends.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            foreach (var follower in _followers)
            {
                follower.Lines.Writer.TryComplete();
            }

            _followers.Clear();
        }
    }

    private void Unfollow(Follower follower)
    {
        lock (_lock)
        {
            _followers.Remove(follower);
        }

        follower.Lines.Writer.TryComplete();
    }

    private sealed class Ring(string service)
    {
        private int _characters;

        public string Service { get; } = service;

        public Queue<ReplicaLogLine> Lines { get; } = new();

        public void Add(ReplicaLogLine line, int maxLines, int maxCharacters)
        {
            Lines.Enqueue(line);
            _characters += line.Text.Length;
            while (Lines.Count > 1 && (Lines.Count > maxLines || _characters > maxCharacters))
            {
                _characters -= Lines.Dequeue().Text.Length;
            }
        }
    }

    private sealed class Follower(string? service)
    {
        public string? Service { get; } = service;

        public Channel<ReplicaLogLine> Lines { get; } = Channel.CreateBounded<ReplicaLogLine>(new BoundedChannelOptions(FollowerBacklog)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
    }
}
