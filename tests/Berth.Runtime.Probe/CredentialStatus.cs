namespace Berth.Runtime.Probe;

/// <summary>
/// The credential lines of <c>/proc/…/status</c> for one thread or process, as the kernel prints them: the five
/// capability masks in hexadecimal, the four user and group IDs, the supplementary groups and no_new_privs.
/// </summary>
internal sealed record CredentialStatus(
    string CapInh,
    string CapPrm,
    string CapEff,
    string CapBnd,
    string CapAmb,
    string Uid,
    string Gid,
    string Groups,
    string NoNewPrivs)
{
    /// <summary><c>/proc/thread-self/status</c>: the calling thread, not the process's main thread.</summary>
    public static CredentialStatus OfCallingThread() => Parse(File.ReadAllText("/proc/thread-self/status"));

    /// <summary>Parses the text of a status file, or the lines of it another program printed.</summary>
    public static CredentialStatus Parse(string text)
    {
        var fields = text.Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => string.Join(' ', group.First()[1].Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)), StringComparer.Ordinal);
        return new CredentialStatus(
            Field("CapInh"), Field("CapPrm"), Field("CapEff"), Field("CapBnd"), Field("CapAmb"),
            Field("Uid"), Field("Gid"), Field("Groups"), Field("NoNewPrivs"));

        string Field(string name) => fields.TryGetValue(name, out var value) ? value : "missing";
    }
}
