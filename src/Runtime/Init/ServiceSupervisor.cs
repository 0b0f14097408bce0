using System.Net.Sockets;
using Berth.Runtime.Security;
using Tmds.Linux;

namespace Berth.Runtime.Init;

/// <summary>
/// Init mode (<see cref="Containers.ContainerSpec.Init"/>): the init stays PID 1, starts the service as its child,
/// forwards signals to it, reaps every process that ends in the container, and ends when the service does, with
/// the service's status. Called on the thread that dropped the privileges, last, where the init would otherwise
/// <c>execve</c>: the child inherits that thread's user, capabilities, no_new_privs and seccomp filter.
/// </summary>
internal static class ServiceSupervisor
{
    /// <summary>
    /// Starts the service and tells the host, then supervises it; returns the init's exit status. Until the host
    /// has been told, a failure throws, as any step of the init does; after that the channel is closed and nothing
    /// throws: what goes wrong goes to standard error and ends the init (and with it the container).
    /// </summary>
    public static int Run(InitInstructions instructions, Socket host)
    {
        // Handlers first, so that no signal is lost once the host knows the service runs.
        using var forwarder = SignalForwarder.Register();

        // .NET running as PID 1 reaps every child on SIGCHLD once anything has installed its handler for it
        // (System.Console and System.Diagnostics.Process do); the init would then lose the service's status.
        if (SignalDispositions.IsCaught(LibC.SIGCHLD))
        {
            throw new InvalidOperationException("the .NET runtime handles SIGCHLD in the init, so it would reap the service before the init could");
        }

        // The service runs as the user of the init's main thread, which would let it read the init's memory and
        // follow its descriptors through /proc/1 (the managed init holds its assemblies open: host files). Dropping
        // capabilities has already cleared the flag where fs.suid_dumpable is 0; clear it whatever that setting.
        // The service's exec sets its own flag anew.
        SecuritySyscalls.CallPrctl(SecuritySyscalls.PrSetDumpable, 0, 0, "prctl(PR_SET_DUMPABLE, 0)");

        int service;
        using (var command = new ServiceCommand(instructions.Service))
        {
            service = command.StartAsChild();
        }

        forwarder.Start(service);
        try
        {
            InitChannel.Send(host, InitReport.ExecutingNow, InitJsonContext.Default.InitReport);
        }
        catch (SocketException)
        {
            // The host is gone; the parent-death signal ends this process at any moment.
            return 125;
        }

        // The host's end of the channel must not outlive the start: the host reads end-of-file as "running".
        host.Dispose();

        try
        {
            return ReapUntilExit(service, forwarder);
        }
        catch (InvalidOperationException e)
        {
            RawStandardError.WriteLine($"supervising the service failed: {e.Message}");
            return 125;
        }
    }

    /// <summary>
    /// Reaps every child until the service ends. The service is left a zombie until signals to it have stopped,
    /// so a signal that arrives just then cannot reach a process that took over its PID.
    /// </summary>
    private static int ReapUntilExit(int service, SignalForwarder forwarder)
    {
        while (true)
        {
            var pid = ExitedChildren.WaitForNext();
            if (pid == service)
            {
                forwarder.Stop();
                return ExitedChildren.Reap(pid).InitExitStatus;
            }

            ExitedChildren.Reap(pid);
        }
    }
}
