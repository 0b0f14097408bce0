namespace Berth.Host;

/// <summary>How traffic reaches a service: routed as HTTP, or forwarded as raw TCP.</summary>
public enum ServiceProtocol
{
    Http,
    Tcp,
}
