using Berth.Runtime.Security;

namespace Berth.Runtime.Tests;

/// <summary>
/// Reading the kernel's capability state, in the test process itself: reading changes nothing. The five sets the
/// system calls return must be the ones <c>/proc/thread-self/status</c> prints for the same thread.
/// </summary>
public class CapabilityReadTests
{
    [Fact]
    public void TheKernelsLastCapabilityIsTheSameFromProcAndFromPrctl()
    {
        var fromProc = int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(fromProc, (int)KernelCapabilities.Last);
        Assert.Equal(KernelCapabilities.Last, KernelCapabilities.ProbeLast());
        Assert.Equal(CapabilitySet.UpTo(KernelCapabilities.Last), KernelCapabilities.All);
    }

    [Fact]
    public void TheSetsReadAreTheOnesProcShowsForTheCallingThread()
    {
        // On a thread of its own, so nothing else runs on it between the two reads.
        ThreadCapabilitySets? read = null;
        string? status = null;
        var thread = new Thread(() =>
        {
            read = ThreadCapabilities.Read();
            status = File.ReadAllText("/proc/thread-self/status");
        });
        thread.Start();
        thread.Join();

        var fields = status!.Split('\n').Select(line => line.Split(':', 2)).Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim(), StringComparer.Ordinal);
        Assert.Equal(fields["CapEff"], read!.Effective.ToHex());
        Assert.Equal(fields["CapPrm"], read.Permitted.ToHex());
        Assert.Equal(fields["CapInh"], read.Inheritable.ToHex());
        Assert.Equal(fields["CapBnd"], read.Bounding.ToHex());
        Assert.Equal(fields["CapAmb"], read.Ambient.ToHex());
    }
}
