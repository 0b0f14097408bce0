using System.Text;
using Berth.Runtime.Seccomp;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace Berth.Runtime.Networking;

/// <summary>
/// The few <c>bpf(2)</c> commands connection steering needs, straight to the kernel (no libbpf): create a map,
/// load a program, attach it with a link, and put or find map entries. Maps, programs and links are
/// descriptors; closing the last one referring to an object lets it go (a link's closing detaches its program).
/// </summary>
internal static unsafe class BpfSyscall
{
    // enum bpf_map_type, enum bpf_prog_type, enum bpf_attach_type (linux/bpf.h).
    public const uint SockHashMapType = 18;
    public const uint SkLookupProgramType = 30;
    public const uint SkLookupAttachType = 36;

    /// <summary><c>BPF_NOEXIST</c>: an update that adds an entry, never replaces one.</summary>
    public const ulong NoExist = 1;

    // enum bpf_cmd.
    private const int MapCreateCommand = 0;
    private const int MapLookupElementCommand = 1;
    private const int MapUpdateElementCommand = 2;
    private const int ProgramLoadCommand = 5;
    private const int LinkCreateCommand = 28;

    // Enough for the verifier's account of a short program many times over.
    private const int VerifierLogSize = 64 * 1024;

    // libbpf retries a load this often: the verifier gives up with EAGAIN when a signal interrupts it.
    private const int Attempts = 5;

    private static readonly int s_bpf = SyscallTable.GetNumber(SyscallTable.CurrentArchitecture, "bpf");

    /// <summary>BPF_MAP_CREATE: a new map, as a close-on-exec descriptor (the kernel always sets it).</summary>
    public static SafeFileHandle CreateMap(uint mapType, uint keySize, uint valueSize, uint maxEntries, string name)
    {
        var attributes = default(BpfAttributes.MapCreate);
        attributes.MapType = mapType;
        attributes.KeySize = keySize;
        attributes.ValueSize = valueSize;
        attributes.MaxEntries = maxEntries;
        BpfAttributes.WriteName(attributes.MapName, name);
        return Descriptor(Call(MapCreateCommand, &attributes), "BPF_MAP_CREATE");
    }

    /// <summary>
    /// BPF_PROG_LOAD. Loaded without a log first (the usual case costs nothing more); when the kernel refuses, once
    /// more with the verifier's log, which goes into the exception.
    /// </summary>
    public static SafeFileHandle LoadProgram(uint programType, uint expectedAttachType, ReadOnlySpan<EbpfInstruction> instructions, string license, string name)
    {
        var licenseBytes = Encoding.ASCII.GetBytes(license + "\0");
        fixed (EbpfInstruction* code = instructions)
        fixed (byte* licenseText = licenseBytes)
        {
            var attributes = default(BpfAttributes.ProgramLoad);
            attributes.ProgramType = programType;
            attributes.InstructionCount = (uint)instructions.Length;
            attributes.Instructions = (ulong)code;
            attributes.License = (ulong)licenseText;
            attributes.ExpectedAttachType = expectedAttachType;
            BpfAttributes.WriteName(attributes.ProgramName, name);

            var result = Call(ProgramLoadCommand, &attributes);
            if (result >= 0)
            {
                return new SafeFileHandle((IntPtr)result, ownsHandle: true);
            }

            var errno = (int)-result;
            var log = new byte[VerifierLogSize];
            fixed (byte* logBuffer = log)
            {
                attributes.LogLevel = 1;
                attributes.LogSize = VerifierLogSize;
                attributes.LogBuffer = (ulong)logBuffer;
                result = Call(ProgramLoadCommand, &attributes);
            }

            if (result >= 0)
            {
                // Refused once, taken the second time: nothing to report.
                return new SafeFileHandle((IntPtr)result, ownsHandle: true);
            }

            var text = Encoding.ASCII.GetString(log, 0, Math.Max(0, Array.IndexOf(log, (byte)0)));
            throw new BpfException($"BPF_PROG_LOAD({name})", errno, text);
        }
    }

    /// <summary>BPF_LINK_CREATE: attaches <paramref name="program"/> to <paramref name="target"/> until the link is closed.</summary>
    public static SafeFileHandle CreateLink(SafeFileHandle program, SafeFileHandle target, uint attachType)
    {
        var attributes = default(BpfAttributes.LinkCreate);
        attributes.ProgramFd = (uint)program.DangerousGetHandle();
        attributes.TargetFd = (uint)target.DangerousGetHandle();
        attributes.AttachType = attachType;
        return Descriptor(Call(LinkCreateCommand, &attributes), "BPF_LINK_CREATE");
    }

    /// <summary>BPF_MAP_UPDATE_ELEM.</summary>
    public static void UpdateElement(SafeFileHandle map, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            var attributes = Element(map, k, v);
            attributes.Flags = flags;
            var result = Call(MapUpdateElementCommand, &attributes);
            if (result < 0)
            {
                throw new BpfException("BPF_MAP_UPDATE_ELEM", (int)-result);
            }
        }
    }

    /// <summary>BPF_MAP_LOOKUP_ELEM: false when there is no such entry.</summary>
    public static bool TryLookupElement(SafeFileHandle map, ReadOnlySpan<byte> key, Span<byte> value)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            var attributes = Element(map, k, v);
            var result = Call(MapLookupElementCommand, &attributes);
            return result >= 0 || (-result == LibC.ENOENT ? false : throw new BpfException("BPF_MAP_LOOKUP_ELEM", (int)-result));
        }
    }

    private static BpfAttributes.MapElement Element(SafeFileHandle map, byte* key, byte* value)
    {
        var attributes = default(BpfAttributes.MapElement);
        attributes.MapFd = (uint)map.DangerousGetHandle();
        attributes.Key = (ulong)key;
        attributes.Value = (ulong)value;
        return attributes;
    }

    private static SafeFileHandle Descriptor(long result, string call) =>
        result >= 0 ? new SafeFileHandle((IntPtr)result, ownsHandle: true) : throw new BpfException(call, (int)-result);

    /// <summary><c>bpf(command, attributes, size)</c>: the result, or minus the errno.</summary>
    private static long Call<T>(int command, T* attributes)
        where T : unmanaged
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = (long)LibC.syscall(s_bpf, command, attributes, BpfAttributes.Size);
            if (result >= 0)
            {
                return result;
            }

            var errno = LibC.errno;
            if (errno != LibC.EAGAIN || attempt == Attempts)
            {
                return -errno;
            }
        }
    }
}
