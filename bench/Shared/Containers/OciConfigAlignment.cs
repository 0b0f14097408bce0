using System.Text.Json.Nodes;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Seccomp;

namespace Berth.Benchmarks.Containers;

/// <summary>
/// Turns the config.json a runtime's own <c>spec</c> command writes into the container Berth makes by default, as
/// far as an OCI config can say it. What stays different is listed in docs/benchmarks.md.
/// </summary>
internal static class OciConfigAlignment
{
    public static void Apply(JsonObject config, string rootfs, IReadOnlyList<string> command)
    {
        var process = config["process"]!.AsObject();

        // Berth hands the service pipes, not a terminal.
        process["terminal"] = false;
        process["args"] = new JsonArray([.. command.Select(a => JsonValue.Create(a))]);
        process["env"] = new JsonArray($"PATH={BenchContainer.Path}");
        process["user"] = new JsonObject { ["uid"] = BenchContainer.Uid, ["gid"] = BenchContainer.Gid };

        // Berth drops every capability by default; the specs keep AUDIT_WRITE, KILL and NET_BIND_SERVICE.
        process["capabilities"] = new JsonObject
        {
            ["bounding"] = new JsonArray(),
            ["effective"] = new JsonArray(),
            ["inheritable"] = new JsonArray(),
            ["permitted"] = new JsonArray(),
            ["ambient"] = new JsonArray(),
        };

        // Berth sets no rlimits.
        process.Remove("rlimits");
        process["noNewPrivileges"] = true;

        // Berth's default root is writable.
        config["root"] = new JsonObject { ["path"] = rootfs, ["readonly"] = false };
        config["hostname"] = BenchContainer.Hostname;

        AlignMounts(config["mounts"]!.AsArray());

        var linux = config["linux"]!.AsObject();

        // The specs list pid, network, ipc, uts and mount; Berth's init also enters a new cgroup namespace.
        linux["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "cgroup" });

        var resources = linux["resources"]!.AsObject();
        var limits = BenchContainer.Limits;
        resources["memory"] = new JsonObject { ["limit"] = limits.MemoryBytes, ["swap"] = limits.MemoryBytes };
        resources["cpu"] = new JsonObject { ["quota"] = limits.CpuQuotaMicroseconds, ["period"] = CgroupLimits.CpuPeriodMicroseconds };
        resources["pids"] = new JsonObject { ["limit"] = limits.Pids };

        // Docker's (and Berth's) masks include two paths the specs' lists lack.
        var masked = linux["maskedPaths"]!.AsArray();
        masked.Add("/proc/interrupts");
        masked.Add("/sys/devices/virtual/powercap");

        linux["seccomp"] = OciSeccomp.From(SeccompProfile.Default);
    }

    /// <summary>
    /// The specs' mounts are Berth's (<c>/proc</c>, a tmpfs <c>/dev</c> with <c>pts</c>, <c>shm</c> and
    /// <c>mqueue</c>, read-only <c>/sys</c>) plus <c>/sys/fs/cgroup</c>, which Berth does not mount and which on a
    /// v1 host is a mount per hierarchy; and minus the tmpfs <c>/tmp</c> Berth gives every container.
    /// </summary>
    private static void AlignMounts(JsonArray mounts)
    {
        foreach (var cgroupMount in mounts.Where(m => (string?)m?["destination"] == "/sys/fs/cgroup").ToList())
        {
            mounts.Remove(cgroupMount);
        }

        mounts.Add(new JsonObject
        {
            ["destination"] = "/tmp",
            ["type"] = "tmpfs",
            ["source"] = "tmpfs",
            ["options"] = new JsonArray("nosuid", "nodev", "mode=1777"),
        });
    }
}
