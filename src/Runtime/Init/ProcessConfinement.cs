using System.Runtime.InteropServices;
using Berth.Runtime.Seccomp;
using Berth.Runtime.Security;
using Tmds.Linux;

namespace Berth.Runtime.Init;

/// <summary>
/// The steps, on the calling thread, that make it what every process of a container is: in the container's working
/// directory, with none of the host's descriptors, as the container's user with only its kept capabilities, under
/// no_new_privs and the seccomp filter. The init takes them before it starts the service, and the init in exec mode
/// before it becomes the exec'd process, so the two cannot differ. Privileges go after everything that needs them
/// (mounts, hostname, <c>setns</c>) and before the filter, which would deny the calls that drop them.
/// </summary>
internal static class ProcessConfinement
{
    /// <summary>
    /// Takes every step in order, naming each to <paramref name="enterStage"/> first (the step a failure is reported
    /// for). <paramref name="afterUserSwitch"/> runs between the user switch and no_new_privs; returning false stops
    /// there (the caller has found it should not go on), and so does this, with false.
    /// </summary>
    public static bool Apply(string workingDirectory, ProcessPrivileges privileges, Action<string> enterStage, Func<bool>? afterUserSwitch = null)
    {
        enterStage("chdir");
        ChangeDirectory(workingDirectory);
        enterStage("descriptors");
        CloseInheritedDescriptors();
        enterStage("privileges");
        CapabilityDropper.Apply(
            privileges.Capabilities.Select(LinuxCapabilityNames.Parse).ToList(),
            new UserIdentity(privileges.Uid, privileges.Gid, privileges.SupplementaryGroups));
        if (afterUserSwitch is not null && !afterUserSwitch())
        {
            return false;
        }

        // Also without a seccomp filter: no_new_privs keeps a setuid or file-capability program from regaining
        // privileges (and from clearing the parent-death signal by doing so).
        NoNewPrivileges.Set();
        if (privileges.SeccompFilter is { } filter)
        {
            // Last: the filter denies mount, unshare, setns and the like, and stays in force across execve.
            enterStage("seccomp");
            SeccompInstaller.Install(BpfInstructionPacking.Unpack(filter));
        }

        return true;
    }

    private static unsafe void ChangeDirectory(string directory)
    {
        var path = NativeStrings.Utf8(directory);
        fixed (byte* p = path)
        {
            Check(LibC.chdir(p), $"chdir('{directory}')");
        }
    }

    /// <summary>
    /// Whatever descriptors the host let this process inherit (a pipe of a test runner, a socket of a service
    /// manager) must not reach the service: they are closed, and every other descriptor above stderr becomes
    /// close-on-exec.
    /// </summary>
    private static void CloseInheritedDescriptors()
    {
        InheritedDescriptors.Close();
        const uint CloseRangeCloexec = 1 << 2;
        var closeRange = SyscallTable.GetNumber(SyscallTable.CurrentArchitecture, "close_range");
        if ((long)LibC.syscall(closeRange, 3, uint.MaxValue, CloseRangeCloexec) == -1)
        {
            Check(-1, "close_range(3, ~0, CLOSE_RANGE_CLOEXEC)");
        }
    }

    public static void Check(int result, string what)
    {
        if (result == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new InvalidOperationException($"{what} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
    }
}
