namespace Berth.Runtime.Images;

/// <summary>Paths taken apart by their text alone: nothing is looked up on disk, so a symbolic link is not followed.</summary>
internal static class LexicalPath
{
    /// <summary>
    /// A path's components with <c>.</c> and empty ones dropped and each <c>..</c> taking the one before it away
    /// (none at the top: <c>/..</c> is <c>/</c>).
    /// </summary>
    public static List<string> Components(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return parts;
    }
}
