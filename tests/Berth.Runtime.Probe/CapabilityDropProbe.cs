using System.Diagnostics;
using Berth.Runtime.Security;
using Tmds.Linux;

namespace Berth.Runtime.Probe;

/// <summary>
/// The <c>caps-drop</c> verb: drops capabilities with <see cref="CapabilityDropper"/> (and switches user) on the
/// main thread, then reports what the kernel shows for that thread and for another one, tries operations that need
/// privileges, and executes <c>/bin/sh</c> to see what a service's program would get.
/// </summary>
internal static class CapabilityDropProbe
{
    private const uint Unchanged = uint.MaxValue;

    public static int Run(IReadOnlyList<string> args)
    {
        var options = CapabilityDropOptions.Parse(args);
        var keep = options.Keep.Select(LinuxCapabilityNames.Parse).ToArray();
        var user = options.User is null ? null : PasswdDatabase.Load("/").Resolve(options.User).Identity;
        if (user is not null && options.Groups is not null)
            user = new UserIdentity(user.Uid, user.Gid, options.Groups);

        if (options.HostGroups.Count > 0)
            UserSwitch.Apply(new UserIdentity(0, 0, options.HostGroups));

        foreach (var lacking in options.HostLacks.Select(LinuxCapabilityNames.Parse))
            DropFromBoundingSet(lacking);

        var loopback = PrivateLoopback.Enter();
        using var file = RootOwnedTemporaryFile.Create();
        var chownBefore = SyscallOutcome.Of(LibC.fchown(file.Descriptor, 12345, Unchanged));
        var bindBefore = PrivateLoopback.TryBind(80);

        // A thread that exists before the drop; it reads its own status only after the drop.
        using var dropped = new ManualResetEventSlim();
        CredentialStatus? otherThread = null;
        var thread = new Thread(() =>
        {
            dropped.Wait();
            otherThread = CredentialStatus.OfCallingThread();
        })
        { Name = "berth-probe-bystander" };
        thread.Start();

        var before = CredentialStatus.OfCallingThread();
        string? applyError = null;
        CapabilitySetsReport? returned = null;
        bool? noNewPrivsIsSet = null;
        try
        {
            var sets = CapabilityDropper.Apply(keep, user);
            returned = CapabilitySetsReport.Of(sets);
            if (options.NoNewPrivs)
            {
                // Twice: setting it again must be harmless.
                NoNewPrivileges.Set();
                NoNewPrivileges.Set();
                noNewPrivsIsSet = NoNewPrivileges.IsSet;
            }
        }
        catch (PrivilegeException e)
        {
            applyError = e.Message;
        }

        var after = CredentialStatus.OfCallingThread();
        dropped.Set();
        thread.Join();

        ProbeOutput.Write(new CapabilityDropReport(
            CallingThreadIsMain: CurrentThreadId() == Environment.ProcessId,
            loopback,
            user?.ToString(),
            before,
            applyError,
            returned,
            noNewPrivsIsSet,
            after,
            otherThread!,
            chownBefore,
            ChownAfter: SyscallOutcome.Of(LibC.fchown(file.Descriptor, 23456, Unchanged)),
            bindBefore,
            BindPort80After: PrivateLoopback.TryBind(80),
            SetuidRoot: SetuidRootOnThisThread(),
            Exec: ExecuteShell()));
        return 0;
    }

    private static void DropFromBoundingSet(LinuxCapability capability)
    {
        const int PrCapBsetDrop = 24;
        if ((long)LibC.syscall(Seccomp.SyscallTable.GetNumber(Seccomp.SyscallTable.CurrentArchitecture, "prctl"), PrCapBsetDrop, (int)capability, 0, 0, 0) == -1)
            throw new InvalidOperationException($"prctl(PR_CAPBSET_DROP, {capability.ToKernelName()}) failed with errno {LibC.errno}.");
    }

    // The raw call: glibc's setuid would try every thread of the process, and abort it when they disagree.
    private static SyscallOutcome SetuidRootOnThisThread() =>
        SyscallOutcome.Of((long)LibC.syscall(Seccomp.SyscallTable.GetNumber(Seccomp.SyscallTable.CurrentArchitecture, "setuid"), 0));

    private static long CurrentThreadId() =>
        (long)LibC.syscall(Seccomp.SyscallTable.GetNumber(Seccomp.SyscallTable.CurrentArchitecture, "gettid"));

    /// <summary>
    /// Runs <c>/bin/sh</c>, which runs <c>grep</c>: two <c>execve</c>s by the dropped thread's descendants. .NET
    /// forks from the calling thread, so the child starts with this thread's credentials.
    /// </summary>
    private static ExecReport ExecuteShell()
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("grep -E '^(Cap|Uid|Gid|Groups|NoNewPrivs)' /proc/self/status");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("/bin/sh did not start.");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new ExecReport(process.ExitCode, CredentialStatus.Parse(output), output, errors.GetAwaiter().GetResult());
    }
}
