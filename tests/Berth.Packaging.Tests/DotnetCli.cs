using System.Diagnostics;
using System.Text;

namespace Berth.Packaging.Tests;

/// <summary>The outcome of one <c>dotnet</c> run: exit code and what it printed.</summary>
internal sealed record DotnetResult(string CommandLine, string WorkingDirectory, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Everything it printed, for assertions that look at build output and for failure messages.</summary>
    public string Output => StandardOutput + StandardError;

    public override string ToString() =>
        $"`{CommandLine}` in {WorkingDirectory} exited with {ExitCode}.{Environment.NewLine}" +
        $"--- stdout ---{Environment.NewLine}{StandardOutput}{Environment.NewLine}" +
        $"--- stderr ---{Environment.NewLine}{StandardError}";
}

/// <summary>Runs the .NET CLI as a child process, with a time limit, capturing its output.</summary>
internal static class DotnetCli
{
    /// <summary>Generous: a limit against hangs, not a performance check.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    // Set by `dotnet test` for its own MSBuild; a child build must find its SDK on its own.
    private static readonly string[] s_inheritedMSBuildVariables =
    [
        "MSBuildSDKsPath", "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly",
    ];

    private static readonly string s_dotnet =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static async Task<DotnetResult> RunAsync(
        string workingDirectory,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(s_dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in s_inheritedMSBuildVariables)
        {
            start.Environment.Remove(name);
        }

        // No build servers or reused nodes: nothing may outlive the command and hold its output open.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var commandLine = string.Join(' ', new[] { "dotnet" }.Concat(start.ArgumentList.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a)));
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var limit = timeout ?? DefaultTimeout;
        using var cancellation = new CancellationTokenSource(limit);
        try
        {
            // Waits for the exit and for the end of both output streams.
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"`{commandLine}` in {workingDirectory} did not finish within {limit}.{Environment.NewLine}" +
                $"--- stdout ---{Environment.NewLine}{Read(stdout)}{Environment.NewLine}--- stderr ---{Environment.NewLine}{Read(stderr)}");
        }

        return new DotnetResult(commandLine, workingDirectory, process.ExitCode, Read(stdout), Read(stderr));
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.Append(line).Append('\n');
        }
    }

    private static string Read(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }
}
