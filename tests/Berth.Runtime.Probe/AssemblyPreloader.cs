using System.Reflection;

namespace Berth.Runtime.Probe;

/// <summary>
/// Loads every assembly <paramref name="root"/> references, transitively. After <c>pivot_root</c> the host's files
/// are gone, and the runtime loads an assembly the first time a method that uses it is compiled; a loaded assembly is
/// mapped and stays readable.
/// </summary>
internal static class AssemblyPreloader
{
    public static int LoadClosure(Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { root.FullName! };
        var pending = new Queue<Assembly>([root]);
        while (pending.TryDequeue(out var assembly))
        {
            foreach (var name in assembly.GetReferencedAssemblies())
            {
                if (!seen.Add(name.FullName))
                    continue;
                try
                {
                    pending.Enqueue(Assembly.Load(name));
                }
                catch (FileNotFoundException)
                {
                    // A reference the app never uses on this platform (the framework has a few).
                }
            }
        }

        return seen.Count;
    }
}
