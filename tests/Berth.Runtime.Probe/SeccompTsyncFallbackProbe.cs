using Berth.Runtime.Seccomp;

namespace Berth.Runtime.Probe;

/// <summary>
/// The <c>seccomp-tsync-fallback</c> verb: one thread loads a filter of its own first, so TSYNC cannot reach it;
/// then the main thread installs <see cref="SeccompProfile.Default"/>, which must land on the main thread alone and
/// say why.
/// </summary>
internal static class SeccompTsyncFallbackProbe
{
    public static int Run()
    {
        using var loaded = new ManualResetEventSlim();
        using var installed = new ManualResetEventSlim();
        SyscallOutcome? otherLoad = null;
        long otherThreadId = 0;
        ThreadReport? other = null;
        var thread = new Thread(() =>
        {
            otherThreadId = ThreadLocalFilter.CurrentThreadId();
            otherLoad = ThreadLocalFilter.LoadAllowAll();
            loaded.Set();
            installed.Wait();
            other = ThreadReport.Take();
        })
        { Name = "berth-probe-own-filter" };
        thread.Start();
        loaded.Wait();

        SeccompInstallResult? install = null;
        string? installError = null;
        try
        {
            install = SeccompInstaller.Install(SeccompFilter.Compile(SeccompProfile.Default));
        }
        catch (Exception e) when (e is SeccompException or ArgumentException)
        {
            installError = e.Message;
        }

        var caller = ThreadReport.Take();
        installed.Set();
        thread.Join();

        ProbeOutput.Write(new SeccompTsyncFallbackReport(otherLoad!, otherThreadId, install, installError, caller, other));
        return 0;
    }
}
