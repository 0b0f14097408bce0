using System.Net;

namespace Berth.Host.Networking;

/// <summary>
/// Each service of a stack has one loopback address (127.0.1.1, 127.0.1.2, … by name), the same in every container
/// that may reach it: <c>/etc/hosts</c> there names it, and the host listens on it inside that container's network.
/// All of 127.0.0.0/8 is loopback on Linux, so no address is configured anywhere.
/// </summary>
public sealed class MeshAddresses
{
    private readonly Dictionary<string, IPAddress> _byService;

    public MeshAddresses(IEnumerable<string> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _byService = services
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select((name, i) => (name, address: new IPAddress(new byte[] { 127, 0, (byte)(1 + (i / 254)), (byte)((i % 254) + 1) })))
            .ToDictionary(e => e.name, e => e.address, StringComparer.Ordinal);
        if (_byService.Count > 254 * 254)
        {
            throw new ArgumentException("A stack may have at most 64516 services.", nameof(services));
        }
    }

    public static MeshAddresses For(StackDefinition stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return new MeshAddresses(stack.Services.Select(s => s.Name));
    }

    /// <summary>The service's address; it must be a service of the stack.</summary>
    public IPAddress this[string service] =>
        _byService.TryGetValue(service, out var address) ? address : throw new KeyNotFoundException($"No service named '{service}'.");
}
