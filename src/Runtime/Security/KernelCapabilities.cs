using System.Globalization;
using Tmds.Linux;

namespace Berth.Runtime.Security;

/// <summary>
/// Which capabilities the running kernel knows: 0 to <c>/proc/sys/kernel/cap_last_cap</c> (40 since Linux 5.9).
/// A capability set is only fully dropped when every capability the kernel knows is dropped, including any newer
/// than Berth; so the dropper asks the kernel rather than trusting <see cref="LinuxCapabilityNames.Last"/>.
/// </summary>
public static class KernelCapabilities
{
    private const string LastCapPath = "/proc/sys/kernel/cap_last_cap";

    // The kernel cannot learn new capabilities while running; read once.
    private static readonly Lazy<LinuxCapability> s_last = new(Detect);

    /// <summary>The highest capability number the kernel knows.</summary>
    public static LinuxCapability Last => s_last.Value;

    /// <summary>Every capability the kernel knows.</summary>
    public static CapabilitySet All => CapabilitySet.UpTo(Last);

    /// <summary>
    /// The highest capability for which <c>prctl(PR_CAPBSET_READ)</c> answers rather than failing with EINVAL;
    /// it works where <c>/proc</c> is not mounted or is masked, as in a container's init before it mounts
    /// <c>/proc</c>.
    /// </summary>
    public static LinuxCapability ProbeLast()
    {
        var number = 0;
        while (number < 63 && (long)LibC.syscall(SecuritySyscalls.Prctl, SecuritySyscalls.PrCapBsetRead, number + 1, 0, 0, 0) != -1)
            number++;

        return (LinuxCapability)number;
    }

    private static LinuxCapability Detect()
    {
        try
        {
            var text = File.ReadAllText(LastCapPath).Trim();
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 0 and < 64)
                return (LinuxCapability)number;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not mounted or masked: ask the kernel directly.
        }

        return ProbeLast();
    }
}
