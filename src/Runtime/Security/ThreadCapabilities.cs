using Tmds.Linux;

namespace Berth.Runtime.Security;

/// <summary>
/// The calling thread's capability sets, read and changed through <c>capget</c>/<c>capset</c> (version 3: two
/// 32-bit words per set) and <c>prctl</c>. Every call here acts on the calling thread alone (capabilities(7):
/// "capabilities are a per-thread attribute").
/// </summary>
public static class ThreadCapabilities
{
    // linux/capability.h: _LINUX_CAPABILITY_VERSION_3, 64-bit sets in two words.
    private const uint Version3 = 0x20080522;

    /// <summary>The calling thread's five capability sets.</summary>
    /// <exception cref="PrivilegeException">capget or prctl failed.</exception>
    public static unsafe ThreadCapabilitySets Read()
    {
        var header = new CapHeader { Version = Version3, Pid = 0 };
        var data = stackalloc CapData[2];
        if ((long)LibC.syscall(SecuritySyscalls.Capget, &header, data) == -1)
            throw new PrivilegeException("capget", LibC.errno);

        var bounding = 0UL;
        var ambient = 0UL;
        foreach (var capability in KernelCapabilities.All)
        {
            var bit = 1UL << (int)capability;
            if (SecuritySyscalls.CallPrctl(SecuritySyscalls.PrCapBsetRead, (int)capability, 0, "prctl(PR_CAPBSET_READ)") == 1)
                bounding |= bit;

            if (SecuritySyscalls.CallPrctl(SecuritySyscalls.PrCapAmbient, SecuritySyscalls.PrCapAmbientIsSet, (int)capability, "prctl(PR_CAP_AMBIENT_IS_SET)") == 1)
                ambient |= bit;
        }

        return new ThreadCapabilitySets(
            Effective: Join(data[0].Effective, data[1].Effective),
            Permitted: Join(data[0].Permitted, data[1].Permitted),
            Inheritable: Join(data[0].Inheritable, data[1].Inheritable),
            Bounding: new CapabilitySet(bounding),
            Ambient: new CapabilitySet(ambient));
    }

    /// <summary>
    /// <c>capset</c> for the calling thread. The kernel refuses (EPERM) to add to permitted, to make effective
    /// larger than permitted, or to add to inheritable what is in neither permitted nor, without CAP_SETPCAP,
    /// the old inheritable set, nor ever what the bounding set lacks.
    /// </summary>
    internal static unsafe void Set(CapabilitySet effective, CapabilitySet permitted, CapabilitySet inheritable)
    {
        var header = new CapHeader { Version = Version3, Pid = 0 };
        var data = stackalloc CapData[2];
        data[0] = new CapData { Effective = effective.LowWord, Permitted = permitted.LowWord, Inheritable = inheritable.LowWord };
        data[1] = new CapData { Effective = effective.HighWord, Permitted = permitted.HighWord, Inheritable = inheritable.HighWord };
        if ((long)LibC.syscall(SecuritySyscalls.Capset, &header, data) == -1)
        {
            throw new PrivilegeException(
                $"capset(effective {effective.ToHex()}, permitted {permitted.ToHex()}, inheritable {inheritable.ToHex()})",
                LibC.errno);
        }
    }

    /// <summary>Removes <paramref name="capability"/> from the bounding set; needs CAP_SETPCAP in effective.</summary>
    internal static void DropFromBounding(LinuxCapability capability) =>
        SecuritySyscalls.CallPrctl(SecuritySyscalls.PrCapBsetDrop, (int)capability, 0, $"prctl(PR_CAPBSET_DROP, {Describe(capability)})");

    /// <summary>Empties the ambient set; always allowed.</summary>
    internal static void ClearAmbient() =>
        SecuritySyscalls.CallPrctl(SecuritySyscalls.PrCapAmbient, SecuritySyscalls.PrCapAmbientClearAll, 0, "prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)");

    /// <summary>Adds <paramref name="capability"/> to the ambient set; it must be permitted and inheritable.</summary>
    internal static void RaiseAmbient(LinuxCapability capability) =>
        SecuritySyscalls.CallPrctl(SecuritySyscalls.PrCapAmbient, SecuritySyscalls.PrCapAmbientRaise, (int)capability, $"prctl(PR_CAP_AMBIENT_RAISE, {Describe(capability)})");

    /// <summary>
    /// Sets or clears the thread's keep-capabilities flag (SECBIT_KEEP_CAPS): when set, a change of every user ID
    /// from 0 to non-zero keeps the permitted set instead of clearing it. <c>execve</c> clears the flag.
    /// </summary>
    internal static void SetKeepCapabilities(bool keep) =>
        SecuritySyscalls.CallPrctl(SecuritySyscalls.PrSetKeepCaps, keep ? 1 : 0, 0, $"prctl(PR_SET_KEEPCAPS, {(keep ? 1 : 0)})");

    private static string Describe(LinuxCapability capability) =>
        capability <= LinuxCapabilityNames.Last ? $"CAP_{capability.ToKernelName()}" : ((int)capability).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static CapabilitySet Join(uint low, uint high) => new(((ulong)high << 32) | low);

    /// <summary>The kernel's <c>struct __user_cap_header_struct</c>.</summary>
    private struct CapHeader
    {
        public uint Version;
        public int Pid;
    }

    /// <summary>The kernel's <c>struct __user_cap_data_struct</c>: one 32-bit word of each set.</summary>
    private struct CapData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }
}
