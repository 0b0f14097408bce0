namespace Berth.Host;

/// <summary>A container TCP port published on host loopback.</summary>
public sealed record PortMapping(int HostPort, int ContainerPort);
