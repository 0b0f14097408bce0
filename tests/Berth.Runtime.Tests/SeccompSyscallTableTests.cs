using System.Runtime.InteropServices;
using Berth.Runtime.Seccomp;
using Tmds.Linux;

namespace Berth.Runtime.Tests;

public class SeccompSyscallTableTests
{
    [Theory]
    [InlineData(SeccompArchitecture.X86_64, "read", 0)]
    [InlineData(SeccompArchitecture.X86_64, "clone", 56)]
    [InlineData(SeccompArchitecture.X86_64, "openat", 257)]
    [InlineData(SeccompArchitecture.X86_64, "seccomp", 317)]
    [InlineData(SeccompArchitecture.X86_64, "clone3", 435)]
    [InlineData(SeccompArchitecture.X86_64, "set_mempolicy_home_node", 450)]
    [InlineData(SeccompArchitecture.Aarch64, "io_setup", 0)]
    [InlineData(SeccompArchitecture.Aarch64, "openat", 56)]
    [InlineData(SeccompArchitecture.Aarch64, "fstat", 80)]
    [InlineData(SeccompArchitecture.Aarch64, "prctl", 167)]
    [InlineData(SeccompArchitecture.Aarch64, "clone", 220)]
    [InlineData(SeccompArchitecture.Aarch64, "mmap", 222)]
    [InlineData(SeccompArchitecture.Aarch64, "seccomp", 277)]
    [InlineData(SeccompArchitecture.Aarch64, "clone3", 435)]
    [InlineData(SeccompArchitecture.Aarch64, "memfd_secret", 447)]
    public void KnowsTheKernelsNumbers(SeccompArchitecture architecture, string name, int number) =>
        Assert.Equal(number, SyscallTable.GetNumber(architecture, name));

    [Theory]
    [InlineData(SeccompArchitecture.Aarch64, "open")]
    [InlineData(SeccompArchitecture.Aarch64, "fork")]
    [InlineData(SeccompArchitecture.Aarch64, "arch_prctl")]
    [InlineData(SeccompArchitecture.Aarch64, "arch_specific_syscall")]
    [InlineData(SeccompArchitecture.X86_64, "chown32")]
    [InlineData(SeccompArchitecture.X86_64, "socketcall")]
    public void LacksWhatTheArchitectureLacks(SeccompArchitecture architecture, string name)
    {
        Assert.False(SyscallTable.TryGetNumber(architecture, name, out _));
        Assert.Throws<ArgumentException>(() => SyscallTable.GetNumber(architecture, name));
    }

    [Theory]
    [InlineData(SeccompArchitecture.X86_64)]
    [InlineData(SeccompArchitecture.Aarch64)]
    public void NumbersAreDistinct(SeccompArchitecture architecture)
    {
        var table = SyscallTable.ForArchitecture(architecture);
        Assert.Equal(table.Count, table.Values.Distinct().Count());
        Assert.True(table.Count > 300);
    }

    [Fact]
    public void AgreesWithTmdsLibCForThisMachine()
    {
        // Tmds.LibC carries a few numbers for the architecture it runs on; ours must match them.
        var architecture = SyscallTable.CurrentArchitecture;
        Assert.Equal(RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? SeccompArchitecture.Aarch64 : SeccompArchitecture.X86_64, architecture);
        Assert.Equal(LibC.SYS_io_setup, SyscallTable.GetNumber(architecture, "io_setup"));
        Assert.Equal(LibC.SYS_io_destroy, SyscallTable.GetNumber(architecture, "io_destroy"));
        Assert.Equal(LibC.SYS_io_submit, SyscallTable.GetNumber(architecture, "io_submit"));
        Assert.Equal(LibC.SYS_io_getevents, SyscallTable.GetNumber(architecture, "io_getevents"));
    }
}
