namespace Berth.Benchmarks.Shared;

/// <summary>Finds an outside tool the way a shell would: the first match on PATH.</summary>
internal static class ToolLocator
{
    private const string FallbackPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static string? Find(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") is { Length: > 0 } value ? value : FallbackPath;
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(directory, tool)))
            {
                return Path.Combine(directory, tool);
            }
        }

        return null;
    }
}
