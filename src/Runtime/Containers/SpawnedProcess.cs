using System.Diagnostics;

namespace Berth.Runtime.Containers;

/// <summary>A process started in new namespaces, and the release of the thread that is its parent.</summary>
internal sealed class SpawnedProcess(Process process, ManualResetEventSlim parentThread)
{
    private int _released;

    public Process Process { get; } = process;

    /// <summary>Lets the parent thread end; call once the process has exited.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            parentThread.Set();
        }
    }
}
