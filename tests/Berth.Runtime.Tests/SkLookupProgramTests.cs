using System.Net;
using Berth.Runtime.Networking;

namespace Berth.Runtime.Tests;

/// <summary>The steering program as assembled, its map key, and what a refused program reports.</summary>
public sealed class SkLookupProgramTests
{
    [Fact]
    public void TheProgramIsTheListingItsDocumentationShows()
    {
        var program = SkLookupProgram.Assemble(mapDescriptor: 42);

        Assert.Equal(24, program.Length);

        // r6 = r1; the context reads at family (8), protocol (12), local_ip4 (40), local_port (60).
        Assert.Equal(new EbpfInstruction(0xbf, EbpfRegister.R6, EbpfRegister.R1, 0, 0), program[0]);
        Assert.Equal([8, 12, 40, 60], program.Where(i => i.Code == EbpfOpcodes.LoadWord).Select(i => (int)i.Offset));
        Assert.Equal([-8, -4], program.Where(i => i.Code == EbpfOpcodes.StoreWord).Select(i => (int)i.Offset));

        // The map by descriptor: a two-instruction load with BPF_PSEUDO_MAP_FD as source.
        Assert.Equal(new EbpfInstruction(0x18, EbpfRegister.R1, (EbpfRegister)1, 0, 42), program[9]);
        Assert.Equal(default, program[10]);

        // Helpers in order: bpf_map_lookup_elem, bpf_sk_assign, bpf_sk_release.
        Assert.Equal([1, 124, 86], program.Where(i => i.Code == EbpfOpcodes.Call).Select(i => i.Immediate));

        // Every jump (AF_INET, IPPROTO_TCP, null socket) lands on "r0 = SK_PASS; exit".
        var jumps = program.Select((instruction, at) => (instruction, at)).Where(j => j.instruction.Code is EbpfOpcodes.JumpIfEqual or EbpfOpcodes.JumpIfNotEqual).ToList();
        Assert.Equal([(2, 2), (6, 4), (0, 14)], jumps.Select(j => (j.instruction.Immediate, j.at)));
        Assert.All(jumps, j => Assert.Equal(22, j.at + 1 + j.instruction.Offset));
        Assert.Equal(new EbpfInstruction(0xb7, EbpfRegister.R0, EbpfRegister.R0, 0, 1), program[22]);
        Assert.Equal(0x95, program[23].Code);
    }

    [Fact]
    public void TheKeyIsTheAddressAsItIsThenThePortAsANativeWord()
    {
        var key = new byte[SkLookupProgram.KeySize];

        SkLookupProgram.WriteKey(new IPEndPoint(IPAddress.Parse("127.0.1.5"), 8080), key);

        Assert.Equal(BitConverter.IsLittleEndian ? [127, 0, 1, 5, 0x90, 0x1f, 0, 0] : new byte[] { 127, 0, 1, 5, 0, 0, 0x1f, 0x90 }, key);
        Assert.Throws<ArgumentException>(() => SkLookupProgram.WriteKey(new IPEndPoint(IPAddress.IPv6Loopback, 8080), key));
    }

    [Fact]
    public void AProgramTheVerifierRefusesIsReportedWithTheVerifiersLog()
    {
        // A read past the end of struct bpf_sk_lookup.
        var builder = new EbpfProgramBuilder();
        builder.LoadWord(EbpfRegister.R0, EbpfRegister.R1, 200);
        builder.Exit();

        var error = Assert.Throws<BpfException>(() => BpfSyscall.LoadProgram(
            BpfSyscall.SkLookupProgramType, BpfSyscall.SkLookupAttachType, builder.Build(), SkLookupProgram.License, "berth_test"));

        Assert.NotEqual(0, error.Errno);
        Assert.Contains("invalid bpf_context access", error.VerifierLog, StringComparison.Ordinal);
        Assert.StartsWith("BPF_PROG_LOAD(berth_test) failed: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("the verifier refused the program", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid bpf_context access", error.Message, StringComparison.Ordinal);
    }
}
