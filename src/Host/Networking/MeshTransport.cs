using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace Berth.Host.Networking;

/// <summary>The Kestrel transport for <see cref="MeshConnectionQueue.EndPoint"/>: its "accept" takes from the queue.</summary>
internal sealed class MeshTransport(MeshConnectionQueue queue) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => ReferenceEquals(endpoint, queue.EndPoint);

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        CanBind(endpoint)
            ? ValueTask.FromResult<IConnectionListener>(new Listener(queue))
            : throw new NotSupportedException($"{endpoint} is not the mesh endpoint.");

    private sealed class Listener(MeshConnectionQueue queue) : IConnectionListener
    {
        private readonly CancellationTokenSource _unbound = new();

        public EndPoint EndPoint => queue.EndPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _unbound.Token);
            try
            {
                return await queue.DequeueAsync(linked.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                // Kestrel reads null as "this listener is done".
                return null;
            }
        }

        public async ValueTask UnbindAsync(CancellationToken cancellationToken = default) => await _unbound.CancelAsync().ConfigureAwait(false);

        public ValueTask DisposeAsync()
        {
            _unbound.Cancel();
            _unbound.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
