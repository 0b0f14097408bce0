namespace Berth.Host.Testing;

/// <summary>The gateway of a <see cref="RunningStack"/>: where it listens, and clients for it.</summary>
public sealed class RunningGateway
{
    internal RunningGateway(Uri address) => Address = address;

    /// <summary>Where the gateway listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>A client with the gateway as its base address: <c>GetAsync("/api/catalog/items")</c> goes where the routes say. Dispose it when done.</summary>
    public HttpClient CreateHttpClient() => new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = Address };

    public override string ToString() => Address.ToString();
}
