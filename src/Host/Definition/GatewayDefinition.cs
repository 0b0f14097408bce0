namespace Berth.Host;

/// <summary>The ingress: where the host listens for traffic that <c>routes</c> send into services.</summary>
public sealed record GatewayDefinition
{
    /// <summary>The default gateway port.</summary>
    public const int DefaultPort = 8080;

    /// <summary>The address the gateway binds; loopback unless the stack opens it up.</summary>
    public string Bind { get; init; } = "127.0.0.1";

    public int Port { get; init; } = DefaultPort;
}
