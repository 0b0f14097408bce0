namespace Berth.Benchmarks.ContainerStart.Measurement;

/// <summary>
/// What the host has in use at one moment, as far as a contender can change it: this process's anonymous memory
/// (the Berth host keeps a thread per container, its stack, and the objects that follow it; anonymous rather than
/// PSS, because this process's share of the shared libraries moves whenever another .NET process on the machine
/// starts or ends), the kernel's unreclaimable memory (namespaces, cgroups, mounts, task structs: unreclaimable
/// slab, kernel stacks, page tables, per-CPU data such as a v1 memory cgroup's counters), and MemAvailable, which
/// sees everything but also everything else on the machine.
/// </summary>
internal readonly record struct MemorySnapshot(long HostAnonymous, long Kernel, long Available)
{
    public static MemorySnapshot Take() => new(
        ProcMemory.Anonymous(Environment.ProcessId),
        ProcMemory.Meminfo("SUnreclaim") + ProcMemory.Meminfo("KernelStack") + ProcMemory.Meminfo("PageTables") + ProcMemory.Meminfo("Percpu"),
        ProcMemory.Meminfo("MemAvailable"));
}
