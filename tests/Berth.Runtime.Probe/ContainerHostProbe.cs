using Berth.Runtime.Containers;

namespace Berth.Runtime.Probe;

/// <summary>
/// Plays a host that starts one container and then never stops it: reports the container's PID and waits, so a
/// test can kill this process and see whether the container dies with its host.
/// </summary>
internal static class ContainerHostProbe
{
    public static int Run(string stateDirectory, string cgroupParent, string id)
    {
        var runtime = new ContainerRuntime(new ContainerRuntimeOptions { StateDirectory = stateDirectory, CgroupParent = cgroupParent });
        var container = runtime.StartAsync(new ContainerSpec { Id = id, Executable = "/bin/sleep", Args = ["300"] }).GetAwaiter().GetResult();
        ProbeOutput.Write(new ContainerHostReport(container.Pid));
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }
}

internal sealed record ContainerHostReport(int Pid);
