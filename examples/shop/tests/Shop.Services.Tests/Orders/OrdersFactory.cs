using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Shop.Orders;

namespace Shop.Services.Tests.Orders;

/// <summary>
/// The orders service on a database file of the test's (migrated unless asked not to), calling an in-process
/// catalog, and the given payments service, or none at all: then its client connects to a closed port.
/// </summary>
internal sealed class OrdersFactory(string databasePath, Func<HttpMessageHandler> catalog, Func<HttpMessageHandler>? payments, string? apiKey = Payments.PaymentsFactory.ApiKey)
    : ServiceFactory<OrderRepository>(
        new Dictionary<string, string?> { [OrdersDatabase.ConfigurationKey] = databasePath, [PaymentsClient.SecretName] = apiKey },
        services =>
        {
            services.AddHttpClient<CatalogClient>().ConfigurePrimaryHttpMessageHandler(catalog);
            services.AddHttpClient<PaymentsClient>().ConfigurePrimaryHttpMessageHandler(payments ?? RefusedConnections);
        })
{
    /// <summary>Migrates a new database at <paramref name="path"/>, as the migrate job does.</summary>
    public static void Migrate(string path)
    {
        using var connection = new OrdersDatabase(path).Open();
        OrdersSchema.Migrate(connection);
    }

    /// <summary>A handler whose connections all go to a port nobody listens on: payments is down.</summary>
    private static SocketsHttpHandler RefusedConnections() => new()
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var closedPort = ((IPEndPoint)listener.LocalEndPoint!).Port;
            listener.Close();
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, closedPort), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };
}
