using System.Runtime.InteropServices;

namespace Berth.Benchmarks.Shared;

/// <summary>
/// The first Ctrl+C (or SIGTERM, SIGHUP) stops the benchmark after the run in progress, and the cleanup runs; a
/// second one ends the process at once, as usual, and the next run cleans up what it left.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly TextWriter _log;

    public ShutdownSignals(TextWriter log)
    {
        _log = log;
        _registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(s => PosixSignalRegistration.Create(s, OnSignal))];
    }

    public CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        context.Cancel = true;
        _log.WriteLine($"{context.Signal}: stopping after the current run and cleaning up (again to quit at once).");
        _stop.Cancel();
    }
}
