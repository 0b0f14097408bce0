namespace Berth.Runtime.Tests;

/// <summary>Finds outside tools on <c>PATH</c> for <see cref="RequiresToolFactAttribute"/> tests.</summary>
internal static class RequiredTool
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The tool's full path, or null.</summary>
    public static string? Locate(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") is { Length: > 0 } value ? value : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Why a test that needs the tool is skipped: null where it is installed, or under <c>CI=true</c>, where the test runs and fails.</summary>
    public static string? SkipReason(string tool, string package) =>
        Locate(tool) is null && !IsCi ? $"{tool} is not installed (Debian: apt-get install {package}); under CI=true this test fails instead." : null;

    /// <summary>The tool's full path; fails the test, naming the package to install, when it is missing.</summary>
    public static string Find(string tool, string package) =>
        Locate(tool) ?? throw new InvalidOperationException(
            $"{tool} is required and missing{(IsCi ? " under CI=true" : "")}: install it (Debian: apt-get install {package}); .ci/run does.");
}
