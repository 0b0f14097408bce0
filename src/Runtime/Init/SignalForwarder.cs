using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Berth.Runtime.Init;

/// <summary>
/// In init mode, passes the signals the init receives on to the service. PID 1 of a PID namespace gets only the
/// signals it has a handler for, so each one forwarded gets a <see cref="PosixSignalRegistration"/> (the runtime's
/// handler, which works the same compiled ahead of time); the handler cancels the runtime's own reaction, such as
/// ending the process on SIGTERM. Signals that arrive before the service runs are kept and sent once it does.
/// </summary>
internal sealed class SignalForwarder : IDisposable
{
    /// <summary>
    /// What a service is asked to do from outside: stop (SIGTERM, SIGINT, SIGQUIT), reload (SIGHUP), its own
    /// (SIGUSR1, SIGUSR2), resize (SIGWINCH) and continue (SIGCONT). Not SIGCHLD, which is the init's own; not
    /// SIGPIPE, which the init's own writes would raise; not the signals of faults (SIGSEGV and the like), which
    /// concern the init itself; SIGKILL and SIGSTOP cannot be caught.
    /// </summary>
    public static readonly int[] Signals =
    [
        LibC.SIGHUP, LibC.SIGINT, LibC.SIGQUIT, LibC.SIGTERM, LibC.SIGUSR1, LibC.SIGUSR2, LibC.SIGWINCH, LibC.SIGCONT,
    ];

    private readonly Lock _gate = new();
    private readonly List<int> _early = [];
    private readonly List<PosixSignalRegistration> _registrations = [];
    private ServiceState _state = ServiceState.NotStarted;
    private int _service;

    private SignalForwarder()
    {
    }

    private enum ServiceState
    {
        NotStarted,
        Running,
        Ended,
    }

    /// <summary>
    /// Installs the handlers. A signal the host left ignored (a host started with <c>nohup</c> passes on an
    /// ignored SIGHUP) would stay ignored, since the runtime respects ignored signals, so those are reset first;
    /// and the calling thread unblocks every signal, so that the runtime's signal thread, which it starts now,
    /// blocks none either.
    /// </summary>
    public static SignalForwarder Register()
    {
        SignalDispositions.ResetIgnored(Signals);
        SignalMask.UnblockAll();
        var forwarder = new SignalForwarder();
        try
        {
            foreach (var signal in Signals)
            {
                forwarder._registrations.Add(PosixSignalRegistration.Create((PosixSignal)signal, forwarder.Forward));
                if (!SignalDispositions.IsCaught(signal))
                {
                    throw new InvalidOperationException($"signal {signal} has no handler after registering one, so it would not reach the service");
                }
            }
        }
        catch
        {
            forwarder.Dispose();
            throw;
        }

        return forwarder;
    }

    /// <summary>From now on signals go to <paramref name="pid"/>; those that came earlier go now, in order.</summary>
    public void Start(int pid)
    {
        lock (_gate)
        {
            _service = pid;
            _state = ServiceState.Running;
            foreach (var signal in _early)
            {
                Send(signal);
            }

            _early.Clear();
        }
    }

    /// <summary>
    /// No more signals to the service. Call it while the service is an unreaped zombie: its PID cannot have been
    /// reused yet, so no signal meant for it can reach another process.
    /// </summary>
    public void Stop()
    {
        lock (_gate)
        {
            _state = ServiceState.Ended;
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void Forward(PosixSignalContext context)
    {
        context.Cancel = true;
        var signal = (int)context.Signal;
        lock (_gate)
        {
            switch (_state)
            {
                case ServiceState.NotStarted:
                    _early.Add(signal);
                    break;
                case ServiceState.Running:
                    Send(signal);
                    break;
            }
        }
    }

    private void Send(int signal)
    {
        // While Running the service is an unreaped child of this process (a signal to a zombie is accepted and
        // dropped), so this fails only where a seccomp profile denies kill: say so rather than lose it silently.
        if (LibC.kill(_service, signal) == -1)
        {
            RawStandardError.WriteLine(SystemCallFailure.Describe($"kill({_service}, {signal}) to forward a signal to the service", Marshal.GetLastPInvokeError()));
        }
    }
}
