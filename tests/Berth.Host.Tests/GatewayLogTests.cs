using System.Collections.Concurrent;
using System.Net;
using Berth.Host.Networking;
using Berth.Host.Tests.Orchestration;
using Microsoft.Extensions.Logging;

namespace Berth.Host.Tests;

/// <summary>What the gateway writes to the host's log: nothing for a request it answers as designed.</summary>
public sealed class GatewayLogTests
{
    [Fact]
    public async Task ARequestForAServiceWithNoReplicaYetIsA503WithoutWarnings()
    {
        // A client polling a service that is still starting: no replica has joined its cluster yet.
        var stack = NetworkedStack.Shop;
        var log = new CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(log).SetMinimumLevel(LogLevel.Trace));
        await using var network = await StackNetwork.StartAsync(stack, new IPEndPoint(IPAddress.Loopback, 0), loggerFactory);
        using var gateway = new HttpClient { BaseAddress = network.GatewayAddress, Timeout = TestTimeouts.Generous };

        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.GetAsync("/api/catalog/products");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("Berth: no replica of service 'catalog' is available (none is running, or none is healthy).\n", await response.Content.ReadAsStringAsync());
        }

        Assert.Empty(log.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => $"{e.Category}: {e.Message}"));
    }

    private sealed class CollectingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, string)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}
