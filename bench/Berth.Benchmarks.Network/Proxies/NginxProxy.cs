using System.Diagnostics;
using System.Globalization;
using Berth.Benchmarks.Network.Backend;
using Berth.Benchmarks.Network.Contenders;
using Berth.Benchmarks.Network.Cpus;
using Berth.Benchmarks.Network.Processes;
using Tmds.Linux;

namespace Berth.Benchmarks.Network.Proxies;

/// <summary>
/// nginx started by the harness inside the backend's network namespace (with nsenter, so it shares the backend's
/// loopback with the direct path), in the foreground, as a child of this process. It is stopped by the PID it was
/// started with; its workers end with it. A run that was killed leaves its PID file in the workspace, and the next
/// run stops that nginx, once it has made sure the PID is still an nginx with this workspace's configuration.
/// </summary>
internal sealed class NginxProxy : IAsyncDisposable
{
    private static readonly TimeSpan s_stopPatience = TimeSpan.FromSeconds(10);

    private readonly Process _master;
    private readonly Task _exited;

    private NginxProxy(Process master, string command)
    {
        _master = master;
        Command = command;
        _exited = master.WaitForExitAsync();
    }

    /// <summary>How it was started, for the report.</summary>
    public string Command { get; }

    /// <summary>The master and its workers, once it answers: whose CPU time a run costs nginx.</summary>
    public IReadOnlyList<int> Pids { get; private set; } = [];

    public static async Task<NginxProxy> StartAsync(BenchTools tools, NetworkWorkspace workspace, Contender nginx, CpuPhase phase, int keepalive, CancellationToken cancellationToken)
    {
        var directory = workspace.NginxDirectory;
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, NginxConfig.FileName);
        await File.WriteAllTextAsync(config, NginxConfig.Text(directory, nginx.Url.Port, BenchStack.BackendPort, phase.ServerCores, keepalive), cancellationToken).ConfigureAwait(false);

        // -p: relative paths under the workspace; -e: the log nginx writes before it has read its configuration.
        var command = PlacedCommand.For(tools, nginx.Namespace, phase.ServerCpus, tools.Nginx!, "nginx",
            ["-p", directory + "/", "-e", Path.Combine(directory, NginxConfig.ErrorLogName), "-c", config], workspace.Directory);
        var master = Process.Start(ToolProcess.StartInfo(command.Executable, command.Arguments))
            ?? throw new ContenderException("nginx did not start.");
        master.StandardInput.Close();
        _ = master.StandardOutput.ReadToEndAsync(CancellationToken.None);
        _ = master.StandardError.ReadToEndAsync(CancellationToken.None);
        var proxy = new NginxProxy(master, command.Display);
        try
        {
            await HttpProbe.WaitUntilAnsweringAsync(nginx.Namespace.Connect, nginx.Url, proxy._exited, cancellationToken).ConfigureAwait(false);
            proxy.Pids = [master.Id, .. ChildrenOf(master.Id)];
            return proxy;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await proxy.DisposeAsync().ConfigureAwait(false);
            var log = Path.Combine(directory, NginxConfig.ErrorLogName);
            throw new ContenderException($"nginx did not answer: {e.Message} {(File.Exists(log) ? (await File.ReadAllTextAsync(log, CancellationToken.None).ConfigureAwait(false)).Trim() : string.Empty)}");
        }
    }

    /// <summary>SIGTERM (nginx's fast shutdown: the workers are told and waited for), then SIGKILL for what is left.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(_master.Id, () => _exited).ConfigureAwait(false);
        _master.Dispose();
    }

    /// <summary>Stops the nginx of a run that was killed, if its PID file names one that still runs this workspace's configuration.</summary>
    public static async Task StopAbandonedAsync(NetworkWorkspace workspace)
    {
        var pidFile = Path.Combine(workspace.NginxDirectory, NginxConfig.PidFileName);
        if (!File.Exists(pidFile)
            || !int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !RunsConfigOf(pid, workspace))
        {
            return;
        }

        await StopAsync(pid, async () =>
        {
            while (RunsConfigOf(pid, workspace))
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    private static async Task StopAsync(int master, Func<Task> exited)
    {
        var workers = ChildrenOf(master);
        _ = LibC.kill(master, LibC.SIGTERM);
        try
        {
            await exited().WaitAsync(s_stopPatience).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _ = LibC.kill(master, LibC.SIGKILL);
        }

        // Workers that outlived their master (it was killed): the PIDs were read while they were its children, and
        // each is checked to be an nginx worker still.
        foreach (var worker in workers.Where(w => CommandLine(w)?.StartsWith("nginx: worker", StringComparison.Ordinal) == true))
        {
            _ = LibC.kill(worker, LibC.SIGKILL);
        }
    }

    /// <summary>Whether <paramref name="pid"/> is an nginx started with this workspace's configuration.</summary>
    private static bool RunsConfigOf(int pid, NetworkWorkspace workspace) =>
        CommandLine(pid) is { } commandLine
        && commandLine.Contains("nginx", StringComparison.Ordinal)
        && commandLine.Contains(workspace.NginxDirectory, StringComparison.Ordinal);

    /// <summary>A process's command line (arguments joined by NULs; nginx rewrites its workers' to a title), or null once it is gone.</summary>
    private static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline");
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static List<int> ChildrenOf(int parent) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == parent)];

    /// <summary>The PPid of a process, or null once it is gone.</summary>
    private static int? ParentOf(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status").FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal));
            return line is null ? null : int.Parse(line["PPid:".Length..].Trim(), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
