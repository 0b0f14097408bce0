using System.Globalization;
using static Tmds.Linux.LibC;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// A cgroup on the unified (v2) hierarchy: one directory, a leaf. The parent levels only delegate controllers
/// (<c>cgroup.subtree_control</c>) and never hold processes: v2's "no internal processes" rule refuses controllers
/// to the children of a cgroup that has processes of its own.
/// </summary>
internal sealed class CgroupV2 : Cgroup
{
    /// <summary>The controllers Berth enables for its cgroups, in the order they are written.</summary>
    internal static readonly string[] Controllers = ["memory", "cpu", "pids"];

    private readonly string _directory;
    private readonly string _ownDirectory;
    private readonly IReadOnlyList<string> _controllers;

    private CgroupV2(string name, string parent, CgroupHierarchy unified)
        : base(name, parent, [unified.OwnDirectory])
    {
        _directory = Directories[0];
        _ownDirectory = unified.OwnDirectory;

        // Only what the own cgroup may hand down (its cgroup.controllers) can be enabled below it.
        _controllers = Controllers.Where(unified.Carries).ToArray();
    }

    public override bool OomKilled =>
        CgroupFile.ReadKeyedIfExists(Path.Combine(_directory, "memory.events")).GetValueOrDefault("oom_kill") > 0;

    private protected override (string OwnDirectory, CgroupParentWeight Weight)? CpuWeighting =>
        Enabled("cpu") ? (_ownDirectory, CgroupParentWeight.V2) : null;

    public static IReadOnlyList<string> OwnDirectories(CgroupLayout layout) =>
        layout.Unified is { } unified ? [unified.OwnDirectory] : [];

    /// <summary>The cgroup object for a name; nothing is created on disk.</summary>
    public static CgroupV2 For(CgroupLayout layout, string name, string parent) =>
        new(name, parent, Unified(layout));

    /// <summary>Throws when a limit needs a controller that is not delegated to this process's cgroup.</summary>
    public static void RequireControllers(CgroupLayout layout, CgroupLimits limits)
    {
        var unified = Unified(layout);
        Require(unified, "memory", limits.MemoryBytes is not null);
        Require(unified, "cpu", limits.CpuCores is not null);
        Require(unified, "pids", limits.Pids is not null);
    }

    public override void AddProcess(int pid) =>
        CgroupFile.Write(Path.Combine(_directory, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));

    public override void SetLimits(CgroupLimits limits)
    {
        limits.Validate();
        if (Enabled("memory"))
        {
            CgroupFile.Write(File("memory.max"), NumberOrMax(limits.MemoryBytes));

            // memory.swap.max exists only with swap accounting; 0 means no swap at all for a limited cgroup.
            var swap = File("memory.swap.max");
            if (CgroupFile.Exists(swap))
                CgroupFile.Write(swap, limits.MemoryBytes is null ? "max" : "0");
        }

        if (Enabled("cpu"))
        {
            CgroupFile.Write(
                File("cpu.max"),
                $"{NumberOrMax(limits.CpuQuotaMicroseconds)} {Number(CgroupLimits.CpuPeriodMicroseconds)}");
        }

        if (Enabled("pids"))
            CgroupFile.Write(File("pids.max"), NumberOrMax(limits.Pids));
    }

    public override CgroupStats ReadStats()
    {
        // cpu.stat's usage_usec is there even without the cpu controller (the core accounts every cgroup).
        var cpu = CgroupFile.ReadKeyedIfExists(File("cpu.stat"));
        return new CgroupStats(
            MemoryCurrentBytes: CgroupFile.ReadNumberIfExists(File("memory.current")) ?? 0,
            MemoryPeakBytes: CgroupFile.ReadNumberIfExists(File("memory.peak")),
            CpuUsage: TimeSpan.FromMicroseconds(cpu.GetValueOrDefault("usage_usec")),
            PidsCurrent: CgroupFile.ReadNumberIfExists(File("pids.current")) ?? 0);
    }

    public override IReadOnlyList<int> ReadProcessIds() => CgroupFile.ReadProcessIds(File("cgroup.procs"));

    /// <summary>
    /// <c>cgroup.kill</c> (Linux 5.14+) SIGKILLs every process in the cgroup in the kernel, racing no fork. Older
    /// kernels: freeze (<c>cgroup.freeze</c>, 5.2+) so the process list holds still, SIGKILL each, and thaw.
    /// </summary>
    private protected override async Task SignalAllAsync(CancellationToken cancellationToken)
    {
        var kill = File("cgroup.kill");
        if (CgroupFile.Exists(kill))
        {
            var result = CgroupFile.TryWrite(kill, "1");
            if (result != 0 && result != ENOENT)
                throw new CgroupException($"Cannot write \"1\" to {kill}: {CgroupFile.Describe(result)}") { Errno = result };
            return;
        }

        var freeze = File("cgroup.freeze");
        if (!CgroupFile.Exists(freeze))
        {
            KillProcesses(ReadProcessIds());
            return;
        }

        CgroupFile.Write(freeze, "1");
        try
        {
            // cgroup.events says "frozen 1" once every task has stopped; bounded, as a task in uninterruptible
            // sleep can hold that up, and the kill proceeds regardless.
            for (var round = 1; round <= 10 && !IsFrozen(); round++)
                await Task.Delay(DelayBefore(round), cancellationToken).ConfigureAwait(false);

            KillProcesses(ReadProcessIds());
        }
        finally
        {
            CgroupFile.Write(freeze, "0");
        }
    }

    /// <summary>
    /// Enables Berth's controllers in <c>cgroup.subtree_control</c> of this process's own cgroup and of each
    /// parent level, writing only the missing ones ("+memory +cpu +pids").
    /// </summary>
    private protected override void PrepareParent(string directory)
    {
        var subtreeControl = Path.Combine(directory, "cgroup.subtree_control");
        var enabled = (CgroupFile.ReadIfExists(subtreeControl) ?? string.Empty)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var missing = _controllers.Where(c => !enabled.Contains(c, StringComparer.Ordinal)).ToArray();
        if (missing.Length == 0)
            return;

        var value = string.Join(' ', missing.Select(c => "+" + c));
        var result = CgroupFile.TryWrite(subtreeControl, value);
        if (result == EBUSY && directory == _ownDirectory)
        {
            throw new CgroupException(
                $"Cannot enable {value} in {subtreeControl}: this cgroup holds processes, and cgroup v2 gives "
                + "controllers to the children of a non-root cgroup only when it has none (EBUSY). Run Berth in a "
                + "delegated cgroup whose processes sit in a leaf (e.g. systemd Delegate=yes).") { Errno = result };
        }

        if (result != 0)
            throw new CgroupException($"Cannot write \"{value}\" to {subtreeControl}: {CgroupFile.Describe(result)}") { Errno = result };
    }

    private static CgroupHierarchy Unified(CgroupLayout layout) =>
        layout.Unified ?? throw new CgroupException($"No cgroup2 hierarchy is mounted ({layout})");

    private static void Require(CgroupHierarchy unified, string controller, bool needed)
    {
        if (needed && !unified.Carries(controller))
        {
            throw new CgroupException(
                $"The {controller} controller is not available in {unified.OwnDirectory}/cgroup.controllers");
        }
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string NumberOrMax(long? value) => value is { } v ? Number(v) : "max";

    private bool Enabled(string controller) => _controllers.Contains(controller, StringComparer.Ordinal);

    private bool IsFrozen() =>
        CgroupFile.ReadKeyedIfExists(File("cgroup.events")).GetValueOrDefault("frozen") == 1;

    private string File(string name) => Path.Combine(_directory, name);
}
