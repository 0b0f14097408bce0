using System.Net;

namespace Berth.Runtime.Filesystem;

/// <summary>A line of the container's <c>/etc/hosts</c>: another service's name on a loopback address.</summary>
public sealed record HostEntry(string Name, string Address)
{
    /// <summary>Throws <see cref="ArgumentException"/> on a name with white space or an address that is not an IP address.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Name) || Name.AsSpan().IndexOfAny(" \t\r\n#\0") >= 0)
            throw new ArgumentException($"A host name may not be empty nor hold white space or '#': \"{Name}\".");
        if (!IPAddress.TryParse(Address, out _))
            throw new ArgumentException($"\"{Address}\" is not an IP address (for host {Name}).");
    }
}
