namespace Berth.Runtime.Probe;

/// <summary>The seccomp-related fields of <c>/proc/…/status</c> for a process or thread.</summary>
internal sealed record ProcStatus(int Seccomp, int NoNewPrivs, int SeccompFilters)
{
    /// <summary><c>/proc/self/status</c> describes the main thread; <c>/proc/thread-self/status</c> the caller.</summary>
    public static ProcStatus Read(string path)
    {
        var fields = File.ReadLines(path)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim(), StringComparer.Ordinal);
        return new ProcStatus(Field("Seccomp"), Field("NoNewPrivs"), Field("Seccomp_filters"));

        // Seccomp_filters appeared in kernel 5.9; -1 says the kernel does not report it.
        int Field(string name) => fields.TryGetValue(name, out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : -1;
    }
}
