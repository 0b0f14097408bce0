namespace Berth.Runtime.Tests;

/// <summary>What a shell script in a container printed, as the tests compare it.</summary>
internal static class ShellOutput
{
    public static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The lines of <c>env</c> (and whatever else was printed) less the variables the shell sets itself: PWD, SHLVL, _.</summary>
    public static List<string> WithoutShellVariables(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith("PWD=", StringComparison.Ordinal) && !line.StartsWith("SHLVL=", StringComparison.Ordinal) && !line.StartsWith("_=", StringComparison.Ordinal))
            .ToList();

    /// <summary>The home of nobody (65534) in the host's /etc/passwd: the HOME of a container without a root of its own.</summary>
    public static string NobodysHome() => Security.PasswdDatabase.Load("/").Resolve(null).Home;
}
