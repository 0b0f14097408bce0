using System.Diagnostics;
using System.Reflection;
using Berth.Runtime.Cgroups;

namespace Berth.Host.Tests.Orchestration;

/// <summary>
/// The example stack as a user runs it: its build output started as child processes (<c>up</c> in one, <c>ps</c>,
/// <c>logs</c>, <c>down</c> in others), all with a state directory, cgroup parent and volumes directory of their
/// own, so that what they leave behind can be looked for exactly.
/// </summary>
internal sealed class HelloStackProcesses : IDisposable
{
    private readonly string _root = Path.Combine("/run/berth", $"test-{Guid.NewGuid():N}");

    public HelloStackProcesses()
    {
        StateDirectory = Path.Combine(_root, "state");
        CgroupParent = $"berth/test-{Guid.NewGuid():N}";
    }

    /// <summary>The verbs of the example's build, for a stack named 'hello' that another host runs with this state.</summary>
    public HelloStackProcesses(string stateDirectory, string cgroupParent)
    {
        StateDirectory = stateDirectory;
        CgroupParent = cgroupParent;
    }

    public string StateDirectory { get; }

    public string CgroupParent { get; }

    /// <summary>The processes' HOME: the user's home, where a stack's host must write nothing (no ~/.aspnet key ring, …).</summary>
    public string HomeDirectory => Path.Combine(_root, "home");

    public string ContainersDirectory => Path.Combine(StateDirectory, "containers");

    public string StackDirectory => Path.Combine(StateDirectory, "stacks", "hello");

    public CgroupFactory Cgroups => new(CgroupLayout.Detect(), CgroupParent);

    /// <summary>
    /// Starts the built example with <paramref name="args"/> (its standard input a pipe of this process's); SIGINT at its default disposition whatever this process
    /// inherited (a shell's background job ignores it, and the runtime keeps an ignored SIGINT ignored).
    /// </summary>
    public Process Start(params string[] args)
    {
        var assembly = typeof(HelloStackProcesses).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HelloStackAssembly").Value!;
        var start = new ProcessStartInfo("/usr/bin/env")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        foreach (var arg in (string[])["--default-signal=INT", "dotnet", assembly, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Berth__StateDirectory"] = StateDirectory;
        start.Environment["Berth__CgroupParent"] = CgroupParent;
        start.Environment["Berth__VolumesDirectory"] = Path.Combine(_root, "volumes");
        start.Environment["HOME"] = Directory.CreateDirectory(HomeDirectory).FullName;
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        return Process.Start(start)!;
    }

    /// <summary>Starts <c>up</c> with <paramref name="args"/> and waits until it says the stack is up.</summary>
    public async Task<(Process Up, ProcessLines Output)> UpAsync(params string[] args)
    {
        var up = Start(["up", .. args]);
        var output = new ProcessLines(up);
        await output.WaitForAsync(line => line == "Press Ctrl+C to stop.");
        return (up, output);
    }

    /// <summary>Runs a verb to its end, with nothing on its standard input: its exit code, output and error.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        process.StandardInput.Close();
        var lines = new ProcessLines(process);
        await process.WaitForExitAsync().WaitAsync(TestTimeouts.Generous);
        await lines.Completion;
        return (process.ExitCode, await lines.Output, await lines.Error);
    }

    /// <summary>No container's state, no cgroup, no stack directory of these processes remains, and nothing was written to their HOME.</summary>
    public void AssertNothingLeft()
    {
        Assert.Empty(Directory.Exists(HomeDirectory) ? Directory.EnumerateFileSystemEntries(HomeDirectory, "*", SearchOption.AllDirectories) : []);
        Assert.Empty(Directory.Exists(ContainersDirectory) ? Directory.EnumerateFileSystemEntries(ContainersDirectory) : []);
        Assert.False(Directory.Exists(StackDirectory), $"{StackDirectory} remains");
        Assert.Empty(Cgroups.ListNames());
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), line => line.Contains(_root, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
