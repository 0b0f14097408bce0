using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Berth.Runtime.Tests;

/// <summary>
/// Runs a verb of Berth.Runtime.Probe as a child process and parses the JSON object it prints. The probe is copied
/// next to the test assembly by its project reference and started with the same <c>dotnet</c> host as the tests.
/// </summary>
internal static class ProbeProcess
{
    /// <summary>The probe's path, as the tests see it.</summary>
    public static string ProbePath => Path.Combine(AppContext.BaseDirectory, "Berth.Runtime.Probe.dll");

    public static JsonElement Run(string verb, params string[] arguments)
    {
        using var process = Start(verb, arguments);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var errors = stderr.GetAwaiter().GetResult();

        Assert.True(process.ExitCode == 0, $"The probe exited with {process.ExitCode}.\nstdout:\n{stdout}\nstderr:\n{errors}");
        try
        {
            using var document = JsonDocument.Parse(stdout);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"The probe printed no JSON object ({e.Message}).\nstdout:\n{stdout}\nstderr:\n{errors}", e);
        }
    }

    /// <summary>Starts a verb with stdin, stdout and stderr redirected; the caller reads and ends it.</summary>
    public static Process Start(string verb, params string[] arguments)
    {
        Assert.True(File.Exists(ProbePath), $"The probe is not next to the tests: {ProbePath}");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ProbePath);
        start.ArgumentList.Add(verb);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException("The probe did not start.");
    }

    private static string DotnetHost() => DotnetHostLocator.Find();
}
