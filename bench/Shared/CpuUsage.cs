using System.Runtime.InteropServices;

namespace Berth.Benchmarks.Shared;

/// <summary>
/// CPU time (user and system) of this process and of every child it has waited for, which includes the children's
/// own waited-for children: crun's or runc's container process, Berth's init. Wall time on a loaded machine mostly
/// measures waiting for a core; CPU time says what a start costs whatever the load. Work the kernel does elsewhere
/// (a kworker finishing a cgroup's removal) is in neither.
/// </summary>
/// <param name="Self">This process, all its threads: for Berth, the host's side of a start.</param>
/// <param name="Children">The children it has waited for, with theirs.</param>
internal readonly partial record struct CpuUsage(TimeSpan Self, TimeSpan Children)
{
    private const int RusageSelf = 0;
    private const int RusageChildren = -1;

    public TimeSpan Total => Self + Children;

    public static CpuUsage Now() => new(Of(RusageSelf), Of(RusageChildren));

    public static CpuUsage operator -(CpuUsage later, CpuUsage earlier) => new(later.Self - earlier.Self, later.Children - earlier.Children);

    private static TimeSpan Of(int who)
    {
        if (GetRusage(who, out var usage) != 0)
        {
            throw new InvalidOperationException($"getrusage failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        return Time(usage.UserSeconds, usage.UserMicroseconds) + Time(usage.SystemSeconds, usage.SystemMicroseconds);
    }

    private static TimeSpan Time(long seconds, long microseconds) => TimeSpan.FromSeconds(seconds) + TimeSpan.FromMicroseconds(microseconds);

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRusage(int who, out Rusage usage);

    /// <summary><c>struct rusage</c> on 64-bit Linux: two <c>timeval</c>s, then fourteen <c>long</c> counters.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        private unsafe fixed long _counters[14];
    }
}
