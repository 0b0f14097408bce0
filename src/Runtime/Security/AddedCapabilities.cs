namespace Berth.Runtime.Security;

/// <summary>
/// A service's <c>cap_add</c> list as a stack file writes it: capability names (<see cref="LinuxCapabilityNames"/>)
/// and <c>ALL</c>, which, as in Docker's <c>--cap-add ALL</c>, stands for every capability the host can hand on.
/// </summary>
public static class AddedCapabilities
{
    /// <summary>The entry that stands for every capability (any case).</summary>
    public const string All = "ALL";

    /// <summary>The capabilities <paramref name="capAdd"/> names, each once.</summary>
    /// <param name="capAdd">Names with or without <c>CAP_</c>, in any case, and <c>ALL</c>.</param>
    /// <param name="all">What <c>ALL</c> stands for; null for <see cref="Available"/>, read only when <c>ALL</c> is listed.</param>
    /// <exception cref="FormatException">An entry is neither a capability name nor <c>ALL</c>; the message names it.</exception>
    public static CapabilitySet Parse(IEnumerable<string?> capAdd, CapabilitySet? all = null)
    {
        ArgumentNullException.ThrowIfNull(capAdd);
        var set = CapabilitySet.Empty;
        foreach (var entry in capAdd)
        {
            if (entry?.Trim().Equals(All, StringComparison.OrdinalIgnoreCase) == true)
            {
                all ??= Available();
                set = set.Union(all.Value);
            }
            else if (LinuxCapabilityNames.TryParse(entry, out var capability))
            {
                set = set.Union(CapabilitySet.Of(capability));
            }
            else
            {
                throw new FormatException(
                    $"{LinuxCapabilityNames.DescribeUnknown(entry ?? "")} cap_add also takes {All}, for every capability the host has.");
            }
        }

        return set;
    }

    /// <summary>
    /// What <c>ALL</c> stands for here: every capability the kernel knows and Berth can name that the calling thread
    /// has in its bounding set. A container's init is started by the host as root, and root gets the bounding set at
    /// <c>execve</c>, so that is exactly what the init can keep; a capability the host itself lacks (a host in a
    /// container, or root without CAP_SYS_RESOURCE) is left out, as Docker leaves it out, rather than failing every
    /// start that asks for all.
    /// </summary>
    /// <exception cref="PrivilegeException">The thread's capabilities cannot be read.</exception>
    public static CapabilitySet Available() =>
        ThreadCapabilities.Read().Bounding
            .Intersect(KernelCapabilities.All)
            .Intersect(CapabilitySet.Of(LinuxCapabilityNames.All));
}
