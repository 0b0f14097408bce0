namespace Berth.Runtime.Init;

/// <summary>
/// The init's own assemblies, for a managed init that is about to lose sight of the host's files (after
/// <c>pivot_root</c>, or after joining a running container's mount namespace): it loads all it will need first. The
/// native build has everything compiled in and skips this.
/// </summary>
internal static class ManagedAssemblies
{
    /// <summary>
    /// Whether this is the native (NativeAOT) build. Not <c>RuntimeFeature.IsDynamicCodeSupported</c>: the managed build
    /// is configured like the native one (the project publishes AOT, so its runtimeconfig turns dynamic code off as
    /// well), and would then skip the loading it needs. Code compiled ahead of time has no assembly file.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty location is exactly what tells the native build apart.")]
    private static bool IsCompiledAheadOfTime => string.IsNullOrEmpty(typeof(ManagedAssemblies).Assembly.Location);

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Runs only in the managed build, which is not trimmed; the native build returns first.")]
    public static void LoadAll()
    {
        if (IsCompiledAheadOfTime)
        {
            return; // Everything is in the executable already.
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<System.Reflection.Assembly>([typeof(ManagedAssemblies).Assembly]);
        while (pending.Count > 0)
        {
            foreach (var reference in pending.Dequeue().GetReferencedAssemblies())
            {
                if (seen.Add(reference.FullName))
                {
                    pending.Enqueue(System.Reflection.Assembly.Load(reference));
                }
            }
        }
    }
}
