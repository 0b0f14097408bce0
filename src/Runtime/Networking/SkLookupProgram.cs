using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Berth.Runtime.Networking;

/// <summary>
/// The BPF <c>sk_lookup</c> program that steers connections in a container's network namespace: the kernel runs it
/// for every TCP connection (and UDP datagram) arriving at a local address, before it looks for a listening socket
/// itself. It looks the destination (address, port) up in a SOCKHASH map; for a hit it hands the connection to the
/// socket found there, whatever else is bound to that address and port (a service on <c>[::]:8080</c> included).
/// Anything else passes on to the kernel's usual lookup untouched.
/// </summary>
/// <remarks>
/// <para>The program, as assembled by <see cref="Assemble"/> (r1 holds the <c>struct bpf_sk_lookup *</c> on entry):</para>
/// <code>
///  0  r6 = r1                     keep the context: calls clobber r1–r5
///  1  r2 = *(u32 *)(r6 + 8)       ctx->family
///  2  if r2 != 2 goto pass        only AF_INET (the mesh's addresses are 127.0.1.N)
///  3  r2 = *(u32 *)(r6 + 12)      ctx->protocol
///  4  if r2 != 6 goto pass        only IPPROTO_TCP (the map holds TCP listeners)
///  5  r2 = *(u32 *)(r6 + 40)      ctx->local_ip4, network byte order
///  6  *(u32 *)(r10 - 8) = r2      key.address
///  7  r2 = *(u32 *)(r6 + 60)      ctx->local_port, host byte order
///  8  *(u32 *)(r10 - 4) = r2      key.port
///  9  r1 = map (2 instructions)   the SOCKHASH, by descriptor; the kernel puts in its address
/// 11  r2 = r10
/// 12  r2 += -8                    &amp;key, on the stack
/// 13  call bpf_map_lookup_elem    r0 = a reference to the listening socket, or null
/// 14  if r0 == 0 goto pass        not steered
/// 15  r7 = r0                     keep the reference to release it
/// 16  r1 = r6
/// 17  r2 = r7
/// 18  r3 = 0                      no flags: another program's choice is not replaced
/// 19  call bpf_sk_assign          select the socket; its result does not matter (on failure the lookup goes on)
/// 20  r1 = r7
/// 21  call bpf_sk_release         the verifier insists every reference is released
/// 22 pass: r0 = 1                 SK_PASS: use the selected socket, if any, else the usual lookup
/// 23  exit
/// </code>
/// <para>
/// SK_DROP is never returned: the program only adds sockets, it never refuses a connection. None of the helpers is
/// GPL-only (<c>gpl_only = false</c> in the kernel's prototypes), so the license string is the project's.
/// </para>
/// </remarks>
internal static class SkLookupProgram
{
    /// <summary>The size of a map key: the IPv4 address as the kernel stores it, then the port as a native u32.</summary>
    public const int KeySize = 8;

    /// <summary>The license the kernel is told; it only matters for GPL-only helpers, which the program does not call.</summary>
    public const string License = "MIT";

    // struct bpf_sk_lookup (linux/bpf.h): a union of the selected socket pointer and a u64 cookie at 0, then family
    // (8), protocol (12), remote_ip4 (16), remote_ip6[4] (20), remote_port and padding (36), local_ip4 (40),
    // local_ip6[4] (44), local_port (60), ingress_ifindex (64). Unchanged since Linux 5.9 apart from remote_port's
    // width, which the program does not read.
    private const short FamilyOffset = 8;
    private const short ProtocolOffset = 12;
    private const short LocalIp4Offset = 40;
    private const short LocalPortOffset = 60;

    // enum bpf_func_id (linux/bpf.h).
    private const int MapLookupElement = 1;
    private const int SkRelease = 86;
    private const int SkAssign = 124;

    // enum sk_action.
    private const int SkPass = 1;

    // The key lives at the bottom of the program's 8 bytes of stack.
    private const short KeyOffset = -KeySize;

    /// <summary>The program, referring to the map whose descriptor is <paramref name="mapDescriptor"/>.</summary>
    public static EbpfInstruction[] Assemble(int mapDescriptor)
    {
        var program = new EbpfProgramBuilder();
        var pass = program.NewLabel();

        program.Move(EbpfRegister.R6, EbpfRegister.R1);
        program.LoadWord(EbpfRegister.R2, EbpfRegister.R6, FamilyOffset);
        program.JumpIfNotEqual(EbpfRegister.R2, (int)AddressFamily.InterNetwork, pass);
        program.LoadWord(EbpfRegister.R2, EbpfRegister.R6, ProtocolOffset);
        program.JumpIfNotEqual(EbpfRegister.R2, (int)ProtocolType.Tcp, pass);

        program.LoadWord(EbpfRegister.R2, EbpfRegister.R6, LocalIp4Offset);
        program.StoreWord(EbpfRegister.FramePointer, KeyOffset, EbpfRegister.R2);
        program.LoadWord(EbpfRegister.R2, EbpfRegister.R6, LocalPortOffset);
        program.StoreWord(EbpfRegister.FramePointer, KeyOffset + 4, EbpfRegister.R2);

        program.LoadMap(EbpfRegister.R1, mapDescriptor);
        program.Move(EbpfRegister.R2, EbpfRegister.FramePointer);
        program.Add(EbpfRegister.R2, KeyOffset);
        program.Call(MapLookupElement);
        program.JumpIfEqual(EbpfRegister.R0, 0, pass);

        program.Move(EbpfRegister.R7, EbpfRegister.R0);
        program.Move(EbpfRegister.R1, EbpfRegister.R6);
        program.Move(EbpfRegister.R2, EbpfRegister.R7);
        program.Move(EbpfRegister.R3, 0);
        program.Call(SkAssign);
        program.Move(EbpfRegister.R1, EbpfRegister.R7);
        program.Call(SkRelease);

        program.Mark(pass);
        program.Move(EbpfRegister.R0, SkPass);
        program.Exit();
        return program.Build();
    }

    /// <summary>The map key for connections to <paramref name="endPoint"/>, laid out as the program builds it from the context.</summary>
    public static void WriteKey(IPEndPoint endPoint, Span<byte> key)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        if (endPoint.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("Only IPv4 connections are steered.", nameof(endPoint));
        }

        // local_ip4 is in network byte order: the address's bytes as they are. local_port is a host-order u32.
        if (!endPoint.Address.TryWriteBytes(key[..4], out _))
        {
            throw new ArgumentException("The key needs 8 bytes.", nameof(key));
        }

        MemoryMarshal.Write(key[4..KeySize], (uint)endPoint.Port);
    }
}
