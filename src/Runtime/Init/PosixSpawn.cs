using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Berth.Runtime.Init;

/// <summary>
/// The C library's <c>posix_spawn</c> and the attribute calls it needs (Tmds.LibC has none of them). glibc
/// implements it with <c>clone(CLONE_VM | CLONE_VFORK)</c> and runs only async-signal-safe steps in the child
/// before <c>execve</c>, which makes it safe in a multithreaded process, where <c>fork</c> is not. Each function
/// returns 0 or an error number; none sets <c>errno</c>.
/// </summary>
internal static unsafe partial class PosixSpawn
{
    /// <summary><c>POSIX_SPAWN_SETSIGDEF</c>: the child resets the signals given by <see cref="AttrSetSigDefault"/> to their default action.</summary>
    public const short SetSigDef = 0x04;

    /// <summary><c>POSIX_SPAWN_SETSIGMASK</c>: the child starts with the mask given by <see cref="AttrSetSigMask"/>.</summary>
    public const short SetSigMask = 0x08;

    private const string Libc = "libc.so.6";

    [LibraryImport(Libc, EntryPoint = "posix_spawn")]
    public static partial int Spawn(int* pid, byte* path, void* fileActions, Attributes* attributes, nint* argv, nint* envp);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_init")]
    public static partial int AttrInit(Attributes* attributes);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_destroy")]
    public static partial int AttrDestroy(Attributes* attributes);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setflags")]
    public static partial int AttrSetFlags(Attributes* attributes, short flags);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setsigdefault")]
    public static partial int AttrSetSigDefault(Attributes* attributes, sigset_t* signals);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setsigmask")]
    public static partial int AttrSetSigMask(Attributes* attributes, sigset_t* mask);

    /// <summary>
    /// Room for <c>posix_spawnattr_t</c>, which the C library fills in and reads: 336 bytes in glibc on x86_64 and
    /// aarch64. Its layout is the library's own, so this only reserves more than enough.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = 512)]
    public struct Attributes
    {
    }
}
