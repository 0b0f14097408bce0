using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Networking;

/// <summary>
/// Creates sockets in a container's network: the host is the network, so it listens and connects inside the
/// container rather than routing to it. A listener on any <c>127.x.y.z</c> address inside is what the service
/// reaches for a name the stack gives it (and what Kestrel takes with <c>ListenHandle</c>; steered to, so that it
/// gets its address and port even when the service holds that port on every address: <see cref="ListenSteered"/>);
/// a connection to <c>127.0.0.1:PORT</c> inside is how the host reaches the service (a proxy's
/// <c>ConnectCallback</c>). Nothing else connects the container to anything: no bridge, no veth, no address.
/// </summary>
/// <remarks>
/// A socket belongs for good to the network namespace it was created in; only the <c>socket(2)</c> call itself goes
/// through <see cref="NamespaceSocketThread"/>, and binding, listening, connecting and all I/O happen on the
/// caller's threads as with any socket. Safe for concurrent use. The container's namespace is held open until the
/// container is disposed, so this works as long as the container exists (after its service has exited there is
/// just nothing left inside to talk to); then every call throws <see cref="ObjectDisposedException"/>, while sockets
/// created before keep working until they are closed. In the host's network (<see cref="NetworkMode.Host"/>)
/// sockets are plain host sockets, created on the caller's thread.
/// </remarks>
public sealed class ContainerNetwork
{
    private readonly string _containerId;
    private readonly SafeFileHandle? _namespace;

    // Steering's program and map, made on first use; under the lock, as is closing.
    private readonly Lock _steeringLock = new();
    private ConnectionSteering? _steering;
    private volatile bool _closed;

    private ContainerNetwork(string containerId, NetworkMode mode, SafeFileHandle? networkNamespace)
    {
        _containerId = containerId;
        Mode = mode;
        _namespace = networkNamespace;
    }

    public NetworkMode Mode { get; }

    /// <summary>
    /// A new socket in the container's network namespace, as <c>new Socket(...)</c> would create it in the host's.
    /// In a private network the caller waits for one request to <see cref="NamespaceSocketThread"/> (microseconds).
    /// </summary>
    public Socket CreateSocket(AddressFamily addressFamily, SocketType socketType, ProtocolType protocolType)
    {
        if (_closed)
        {
            throw Removed();
        }

        if (_namespace is null)
        {
            return new Socket(addressFamily, socketType, protocolType);
        }

        var (domain, type, protocol) = NativeSocket.ToNative(addressFamily, socketType, protocolType);
        var referenced = false;
        try
        {
            // Keeps the descriptor from being closed, and its number reused, while the thread uses it.
            _namespace.DangerousAddRef(ref referenced);
            return NativeSocket.Wrap(NamespaceSocketThread.Shared.CreateSocket(_namespace, domain, type, protocol));
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile.
            throw Removed();
        }
        finally
        {
            if (referenced)
            {
                _namespace.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// A TCP socket bound to <paramref name="endPoint"/> inside the container and listening: for a service's
    /// dependency on a loopback address of its own, or for a published port. Port 0 picks a free one.
    /// </summary>
    public Socket Listen(IPEndPoint endPoint, int backlog = 512)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var socket = CreateSocket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endPoint);
            socket.Listen(backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A TCP socket inside the container that gets the connections made inside to <paramref name="endPoint"/>,
    /// whatever is bound there: the service's own listener on all addresses and that port included. It listens on a
    /// free port of <paramref name="endPoint"/>'s address, and a BPF <c>sk_lookup</c> program attached to the
    /// container's network namespace hands it every connection to <paramref name="endPoint"/> (see
    /// <see cref="ConnectionSteering"/>); closing the socket ends that. This is how a dependency answers on its own
    /// port inside a service that listens on the same port. In the host's network the socket is bound to
    /// <paramref name="endPoint"/> as <see cref="Listen"/> binds it: nothing is attached to the host's namespace.
    /// </summary>
    /// <param name="endPoint">An IPv4 address and a port, as the service will connect to it.</param>
    /// <param name="backlog">The listen backlog.</param>
    /// <exception cref="SocketException">Another socket is steered to for <paramref name="endPoint"/>
    /// (<see cref="SocketError.AddressAlreadyInUse"/>), or the socket could not be made.</exception>
    /// <exception cref="BpfException">The kernel refused the program, its map or its attachment (it needs Linux
    /// 5.9 or later and CAP_BPF with CAP_NET_ADMIN); the message says what the errno means.</exception>
    public Socket ListenSteered(IPEndPoint endPoint, int backlog = 512)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        if (endPoint.AddressFamily != AddressFamily.InterNetwork || endPoint.Port == 0)
        {
            throw new ArgumentException("Connections are steered for an IPv4 address and a port.", nameof(endPoint));
        }

        if (_namespace is null)
        {
            return Listen(endPoint, backlog);
        }

        var socket = Listen(new IPEndPoint(endPoint.Address, 0), backlog);
        try
        {
            lock (_steeringLock)
            {
                if (_closed)
                {
                    throw Removed();
                }

                _steering ??= ConnectionSteering.AttachTo(_namespace);
                _steering.Steer(endPoint, socket);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether connections to <paramref name="endPoint"/> inside are steered to an open socket.</summary>
    internal bool IsSteered(IPEndPoint endPoint)
    {
        lock (_steeringLock)
        {
            return _steering?.IsSteered(endPoint) ?? false;
        }
    }

    /// <summary>
    /// A socket connected to <paramref name="endPoint"/> as seen from inside the container, e.g. the service's
    /// <c>127.0.0.1:8080</c>. Names are the host's business: pass an address. A Unix socket's path is looked up in
    /// the host's view of the files; only an abstract one is the container's.
    /// </summary>
    public async ValueTask<Socket> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        if (endPoint is DnsEndPoint)
        {
            throw new ArgumentException("Resolve the name first: a container's network has no resolver of its own.", nameof(endPoint));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var tcp = endPoint.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6;
        var socket = CreateSocket(endPoint.AddressFamily, SocketType.Stream, tcp ? ProtocolType.Tcp : ProtocolType.Unspecified);
        try
        {
            if (tcp)
            {
                // As SocketsHttpHandler's own connections: a proxy forwards small writes as they come.
                socket.NoDelay = true;
            }

            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The host's own network.</summary>
    internal static ContainerNetwork Host(string containerId) => new(containerId, NetworkMode.Host, networkNamespace: null);

    /// <summary>
    /// The private network of a container whose init has just started: its namespace, held open until
    /// <see cref="Close"/>, with <c>lo</c> brought up.
    /// </summary>
    internal static ContainerNetwork OfInit(string containerId, Process init)
    {
        var network = new ContainerNetwork(containerId, NetworkMode.Private, NamespaceFile.Open($"/proc/{init.Id}/ns/net"));
        try
        {
            // The init waits for its instructions, so its PID is its own; had it died and been reaped before the
            // open, the PID could name another process by now.
            if (init.HasExited)
            {
                throw new IOException("the init ended before its network was set up");
            }

            using var socket = network.CreateSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            LoopbackInterface.BringUp(socket);
            return network;
        }
        catch
        {
            network.Close();
            throw;
        }
    }

    private ObjectDisposedException Removed() =>
        new(GetType().FullName, $"Container '{_containerId}' has been removed: no more sockets can be created in its network.");

    /// <summary>
    /// Lets the namespace go and detaches the steering program: the container is being removed. Sockets already
    /// created are not affected (a steered listener keeps listening on its own port).
    /// </summary>
    internal void Close()
    {
        lock (_steeringLock)
        {
            _closed = true;
            _steering?.Dispose();
            _steering = null;
            _namespace?.Dispose();
        }
    }
}
