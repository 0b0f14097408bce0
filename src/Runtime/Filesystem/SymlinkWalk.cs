namespace Berth.Runtime.Filesystem;

/// <summary>
/// Walks a path one component at a time, the way the kernel resolves it: "." is skipped, ".." drops the last
/// component (never above the root), and a symlink's target is spliced in (from the root when absolute).
/// </summary>
internal static class SymlinkWalk
{
    /// <summary>What the caller sees at one candidate path: follow a link, stop the walk, or keep the component.</summary>
    public readonly record struct Step(string? LinkTarget, bool Stop)
    {
        public static Step Keep => default;

        public static Step StopHere => new(null, Stop: true);

        public static Step Follow(string target) => new(target, Stop: false);
    }

    /// <summary>
    /// Walks <paramref name="path"/>, asking <paramref name="visit"/> about each absolute candidate path, and returns
    /// the symlink-free path reached (where the walk stopped, or its end).
    /// </summary>
    /// <exception cref="IOException">More than <paramref name="maxSymlinks"/> links were followed.</exception>
    public static string Walk(string path, int maxSymlinks, Func<string, Step> visit, string describe)
    {
        var resolved = new List<string>();
        var pending = new LinkedList<string>(Split(path));
        var links = 0;
        while (pending.First is { } next)
        {
            pending.RemoveFirst();
            var component = next.Value;
            if (component == ".")
                continue;
            if (component == "..")
            {
                if (resolved.Count > 0)
                    resolved.RemoveAt(resolved.Count - 1);
                continue;
            }

            var step = visit("/" + string.Join('/', resolved.Append(component)));
            if (step.Stop)
                break;
            if (step.LinkTarget is not { } target)
            {
                resolved.Add(component);
                continue;
            }

            if (++links > maxSymlinks)
                throw new IOException($"Too many levels of symbolic links {describe}.");
            if (target.StartsWith('/'))
                resolved.Clear();
            foreach (var part in Split(target).Reverse())
                pending.AddFirst(part);
        }

        return "/" + string.Join('/', resolved);
    }

    private static IEnumerable<string> Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
