using System.Globalization;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// A cgroup on v1 hierarchies (legacy or hybrid hosts): one directory per mounted hierarchy among memory, cpu,
/// cpuacct, pids and freezer. Co-mounted controllers (<c>cpu,cpuacct</c>) share one directory.
/// </summary>
internal sealed class CgroupV1 : Cgroup
{
    /// <summary>The controllers Berth puts a container in: limits, accounting, and freezer for a race-free kill.</summary>
    internal static readonly string[] Controllers = ["memory", "cpu", "cpuacct", "pids", "freezer"];

    // Written to a v1 limit file, -1 means unlimited.
    private const string Unlimited = "-1";

    private readonly string? _memory;
    private readonly string? _cpu;
    private readonly string? _cpuacct;
    private readonly string? _pids;
    private readonly string? _freezer;
    private readonly string? _cpuOwnDirectory;

    private CgroupV1(string name, string parent, CgroupLayout layout)
        : base(name, parent, OwnDirectories(layout))
    {
        _memory = DirectoryOf(layout, "memory", parent, name);
        _cpu = DirectoryOf(layout, "cpu", parent, name);
        _cpuacct = DirectoryOf(layout, "cpuacct", parent, name);
        _pids = DirectoryOf(layout, "pids", parent, name);
        _freezer = DirectoryOf(layout, "freezer", parent, name);
        _cpuOwnDirectory = layout.LegacyHierarchyOf("cpu")?.OwnDirectory;
    }

    public override bool OomKilled
    {
        get
        {
            if (_memory is null)
                return false;

            var oomControl = CgroupFile.ReadKeyedIfExists(Path.Combine(_memory, "memory.oom_control"));

            // oom_kill counts processes the OOM killer took from this cgroup (Linux 4.13+).
            if (oomControl.TryGetValue("oom_kill", out var kills))
                return kills > 0;

            // Older kernels only tell that the cgroup hit its limit (failcnt) or is stuck at it (under_oom); with
            // swap held at the same limit, that is where the OOM killer steps in.
            return oomControl.GetValueOrDefault("under_oom") > 0
                || CgroupFile.ReadNumberIfExists(Path.Combine(_memory, "memory.failcnt")) > 0;
        }
    }

    private protected override (string OwnDirectory, CgroupParentWeight Weight)? CpuWeighting =>
        _cpuOwnDirectory is null ? null : (_cpuOwnDirectory, CgroupParentWeight.V1);

    /// <summary>This process's own cgroup in each hierarchy Berth uses, without duplicates.</summary>
    public static IReadOnlyList<string> OwnDirectories(CgroupLayout layout) =>
        Controllers
            .Select(layout.LegacyHierarchyOf)
            .OfType<CgroupHierarchy>()
            .Select(h => h.OwnDirectory)
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    /// <summary>The cgroup object for a name; nothing is created on disk.</summary>
    public static CgroupV1 For(CgroupLayout layout, string name, string parent) => new(name, parent, layout);

    /// <summary>Throws when a limit needs a controller this host does not mount.</summary>
    public static void RequireControllers(CgroupLayout layout, CgroupLimits limits)
    {
        Require(layout, "memory", limits.MemoryBytes is not null);
        Require(layout, "cpu", limits.CpuCores is not null);
        Require(layout, "pids", limits.Pids is not null);
    }

    public override void AddProcess(int pid)
    {
        var value = pid.ToString(CultureInfo.InvariantCulture);
        foreach (var directory in Directories)
            CgroupFile.Write(Path.Combine(directory, "cgroup.procs"), value);
    }

    public override void SetLimits(CgroupLimits limits)
    {
        limits.Validate();
        if (_memory is not null)
            SetMemoryLimit(_memory, limits.MemoryBytes);

        if (_cpu is not null)
        {
            CgroupFile.Write(Path.Combine(_cpu, "cpu.cfs_period_us"), Number(CgroupLimits.CpuPeriodMicroseconds));
            CgroupFile.Write(Path.Combine(_cpu, "cpu.cfs_quota_us"), NumberOrUnlimited(limits.CpuQuotaMicroseconds));
        }

        if (_pids is not null)
            CgroupFile.Write(Path.Combine(_pids, "pids.max"), limits.Pids is { } pids ? Number(pids) : "max");
    }

    public override CgroupStats ReadStats()
    {
        long? Read(string? directory, string file) =>
            directory is null ? null : CgroupFile.ReadNumberIfExists(Path.Combine(directory, file));

        var cpuNanoseconds = Read(_cpuacct, "cpuacct.usage") ?? 0;
        return new CgroupStats(
            MemoryCurrentBytes: Read(_memory, "memory.usage_in_bytes") ?? 0,
            MemoryPeakBytes: Read(_memory, "memory.max_usage_in_bytes"),
            CpuUsage: TimeSpan.FromTicks(cpuNanoseconds / TimeSpan.NanosecondsPerTick),
            PidsCurrent: Read(_pids, "pids.current") ?? 0);
    }

    public override IReadOnlyList<int> ReadProcessIds() =>
        Directories
            .SelectMany(d => CgroupFile.ReadProcessIds(Path.Combine(d, "cgroup.procs")))
            .Distinct()
            .Order()
            .ToArray();

    /// <summary>
    /// Freezes the cgroup so no process can fork or exit while the list is read (no new child escapes the kill,
    /// no pid is reused under us), SIGKILLs every listed process, then thaws so the signals are acted on: frozen
    /// tasks do not run, not even to die. Without a freezer hierarchy the kill is repeated until the cgroup is empty.
    /// </summary>
    private protected override async Task SignalAllAsync(CancellationToken cancellationToken)
    {
        var state = _freezer is null ? null : Path.Combine(_freezer, "freezer.state");
        if (state is null || !CgroupFile.Exists(state))
        {
            KillProcesses(ReadProcessIds());
            return;
        }

        CgroupFile.Write(state, "FROZEN");
        try
        {
            // FREEZING until every task has stopped; a task in uninterruptible sleep can hold that up, so the wait
            // is bounded and the kill proceeds regardless.
            for (var round = 1; round <= 10 && CgroupFile.Read(state).Trim() != "FROZEN"; round++)
                await Task.Delay(DelayBefore(round), cancellationToken).ConfigureAwait(false);

            KillProcesses(ReadProcessIds());
        }
        finally
        {
            CgroupFile.Write(state, "THAWED");
        }
    }

    private static void SetMemoryLimit(string directory, long? bytes)
    {
        var limit = Path.Combine(directory, "memory.limit_in_bytes");
        var memsw = Path.Combine(directory, "memory.memsw.limit_in_bytes");
        var value = NumberOrUnlimited(bytes);

        // memory.memsw.limit_in_bytes (memory+swap) exists when swap accounting is on and may never be below
        // memory.limit_in_bytes (EINVAL): lift it first, set the memory limit, then hold memory+swap to the same
        // amount so the cgroup gets no swap.
        if (CgroupFile.Exists(memsw))
        {
            CgroupFile.Write(memsw, Unlimited);
            CgroupFile.Write(limit, value);
            CgroupFile.Write(memsw, value);
            return;
        }

        CgroupFile.Write(limit, value);

        // Without swap accounting, swappiness 0 keeps the cgroup's anonymous memory out of swap instead.
        var swappiness = Path.Combine(directory, "memory.swappiness");
        if (bytes is not null && CgroupFile.Exists(swappiness))
            CgroupFile.Write(swappiness, "0");
    }

    /// <summary>This cgroup's directory in the hierarchy of a controller, or null when it is not mounted.</summary>
    private static string? DirectoryOf(CgroupLayout layout, string controller, string parent, string name) =>
        layout.LegacyHierarchyOf(controller) is { } hierarchy ? Path.Combine(hierarchy.OwnDirectory, parent, name) : null;

    private static void Require(CgroupLayout layout, string controller, bool needed)
    {
        if (needed && layout.LegacyHierarchyOf(controller) is null)
            throw new CgroupException($"The {controller} controller is not mounted as a cgroup v1 hierarchy ({layout})");
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string NumberOrUnlimited(long? value) => value is { } v ? Number(v) : Unlimited;
}
