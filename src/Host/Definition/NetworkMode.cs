namespace Berth.Host;

/// <summary>A service's network: its own namespace with only loopback (default), or the host's.</summary>
public enum NetworkMode
{
    Isolated,
    Host,
}
