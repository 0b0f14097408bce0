using System.Net;
using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Networking;

/// <summary>
/// Steers TCP connections made inside one network namespace to chosen listening sockets, whatever is bound to the
/// address and port they were made to: the <see cref="SkLookupProgram"/> attached to the namespace, and the SOCKHASH
/// map of (address, port) to socket it consults. A service bound to all addresses on a port (ASP.NET Core binds
/// <c>[::]:8080</c>) owns that port on every loopback address of its namespace, so the host could not bind
/// <c>127.0.1.N:8080</c> there for a dependency; with steering its socket listens on a free port and gets the
/// connections for <c>127.0.1.N:8080</c> all the same.
/// </summary>
/// <remarks>
/// The kernel removes a socket's entry itself when the socket is closed (a socket in a sockmap has its close
/// hooked), so nothing needs to be done when a listener goes. Disposing closes the link (which detaches the
/// program from the namespace), the program and the map; the sockets stay open and keep listening on their own
/// ports. Not thread-safe: <see cref="ContainerNetwork"/> serializes its use.
/// </remarks>
internal sealed class ConnectionSteering : IDisposable
{
    // One entry per (dependency address, port) a container may call; a bucket is a few bytes of kernel memory.
    private const uint MaxEntries = 512;

    // The value is the socket's descriptor on update; 8 bytes (rather than 4) make lookups from here possible,
    // which return the socket's cookie.
    private const int ValueSize = sizeof(ulong);

    private readonly SafeFileHandle _map;
    private readonly SafeFileHandle _program;
    private readonly SafeFileHandle _link;

    private ConnectionSteering(SafeFileHandle map, SafeFileHandle program, SafeFileHandle link)
    {
        _map = map;
        _program = program;
        _link = link;
    }

    /// <summary>Creates the map, loads the program and attaches it to the network namespace open as <paramref name="networkNamespace"/>.</summary>
    /// <exception cref="BpfException">The kernel refused; the message says what it means.</exception>
    public static ConnectionSteering AttachTo(SafeFileHandle networkNamespace)
    {
        ArgumentNullException.ThrowIfNull(networkNamespace);
        SafeFileHandle? map = null;
        SafeFileHandle? program = null;
        try
        {
            map = BpfSyscall.CreateMap(BpfSyscall.SockHashMapType, SkLookupProgram.KeySize, ValueSize, MaxEntries, "berth_steer");
            program = BpfSyscall.LoadProgram(
                BpfSyscall.SkLookupProgramType,
                BpfSyscall.SkLookupAttachType,
                SkLookupProgram.Assemble((int)map.DangerousGetHandle()),
                SkLookupProgram.License,
                "berth_steer");
            var link = BpfSyscall.CreateLink(program, networkNamespace, BpfSyscall.SkLookupAttachType);
            return new ConnectionSteering(map, program, link);
        }
        catch
        {
            program?.Dispose();
            map?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// From now on, TCP connections made in the namespace to <paramref name="endPoint"/> go to
    /// <paramref name="listener"/>, a TCP socket of that namespace that listens, until it is closed.
    /// </summary>
    /// <exception cref="SocketException"><see cref="SocketError.AddressAlreadyInUse"/>: another open listener is steered to for <paramref name="endPoint"/>.</exception>
    /// <exception cref="BpfException">The kernel refused the socket.</exception>
    public void Steer(IPEndPoint endPoint, Socket listener)
    {
        Span<byte> key = stackalloc byte[SkLookupProgram.KeySize];
        SkLookupProgram.WriteKey(endPoint, key);
        Span<byte> value = stackalloc byte[ValueSize];
        BitConverter.TryWriteBytes(value, (ulong)listener.SafeHandle.DangerousGetHandle());
        try
        {
            BpfSyscall.UpdateElement(_map, key, value, BpfSyscall.NoExist);
        }
        catch (BpfException e) when (e.Errno == Tmds.Linux.LibC.EEXIST)
        {
            // What bind(2) would say for a second listener on the same address and port.
            throw new SocketException((int)SocketError.AddressAlreadyInUse, $"Connections to {endPoint} are steered to another listener already: {e.Message}");
        }
    }

    /// <summary>Whether connections to <paramref name="endPoint"/> are steered to a socket (one that is open).</summary>
    public bool IsSteered(IPEndPoint endPoint)
    {
        Span<byte> key = stackalloc byte[SkLookupProgram.KeySize];
        SkLookupProgram.WriteKey(endPoint, key);
        Span<byte> cookie = stackalloc byte[ValueSize];
        return BpfSyscall.TryLookupElement(_map, key, cookie);
    }

    public void Dispose()
    {
        _link.Dispose();
        _program.Dispose();
        _map.Dispose();
    }
}
