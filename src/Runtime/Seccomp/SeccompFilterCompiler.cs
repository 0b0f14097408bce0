using System.Collections.Immutable;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// Turns a <see cref="SeccompProfile"/> into classic BPF for one architecture:
/// <list type="number">
/// <item>Check <c>seccomp_data.arch</c>; any other ABI (x86's i386 entry point, arm32 compat) kills the process,
/// because its system call numbers mean different calls and the filter would judge them wrongly.</item>
/// <item>On x86_64, refuse x32 calls: they arrive with <c>AUDIT_ARCH_X86_64</c> and bit 30 set in the number
/// (<c>__X32_SYSCALL_BIT</c>), so only the number tells them apart.</item>
/// <item>Split the 32-bit number space into runs that share a decision and find the run with a binary search of
/// unsigned <c>jge</c> tests: about nine comparisons per call instead of a linear scan of ~300. Each leaf is the
/// decision: a <c>ret</c>, or the argument checks of a conditioned call.</item>
/// <item>Numbers above the highest call this table knows belong to calls newer than the table: a denying profile
/// answers them with ENOSYS, not its default errno, as runc does, so that a newer C library in an image falls
/// back to an older call (glibc tries <c>fchmodat2</c>, then <c>fchmodat</c>) instead of failing.</item>
/// </list>
/// </summary>
internal static class SeccompFilterCompiler
{
    // __X32_SYSCALL_BIT (arch/x86/include/uapi/asm/unistd.h).
    private const uint X32SyscallBit = 0x40000000;
    private const int Eperm = 1;
    private const int Enosys = 38;

    public static SeccompFilter Compile(SeccompProfile profile, SeccompArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var table = SyscallTable.ForArchitecture(architecture);
        var defaultBlock = ImmutableArray.Create(Return(profile.DefaultAction));
        var blocks = new SortedDictionary<uint, ImmutableArray<BpfInstruction>>();
        var allowed = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        var conditional = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        var skipped = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);

        foreach (var name in profile.AllowedSyscalls)
        {
            if (table.TryGetValue(name, out var number))
            {
                blocks[(uint)number] = [Return(SeccompAction.Allow)];
                allowed.Add(name);
            }
            else
            {
                skipped.Add(name);
            }
        }

        // A call allowed outright ignores its rules, as Docker's profile drops the conditioned clone rule once
        // CAP_SYS_ADMIN allows clone.
        foreach (var rules in profile.Rules.Where(r => !profile.AllowedSyscalls.Contains(r.Syscall)).GroupBy(r => r.Syscall))
        {
            if (table.TryGetValue(rules.Key, out var number))
            {
                blocks[(uint)number] = CompileRules(rules, profile.DefaultAction);
                conditional.Add(rules.Key);
            }
            else
            {
                skipped.Add(rules.Key);
            }
        }

        var program = new List<BpfInstruction>
        {
            Load(SeccompDataLayout.Arch),
            new(BpfOpcodes.JumpIfEqual, 1, 0, (uint)architecture),
            Return(SeccompAction.KillProcess),
            Load(SeccompDataLayout.Nr),
        };

        if (architecture == SeccompArchitecture.X86_64)
        {
            // x32 calls get the default action; a profile that allows by default still refuses them.
            var x32Action = profile.DefaultAction == SeccompAction.Allow ? SeccompAction.Errno(Eperm) : profile.DefaultAction;
            program.Add(new(BpfOpcodes.JumpIfGreaterOrEqual, 0, 1, X32SyscallBit));
            program.Add(Return(x32Action));
        }

        var newerCalls = profile.DefaultAction == SeccompAction.Allow ? defaultBlock : [Return(SeccompAction.Errno(Enosys))];
        var runs = SplitIntoRuns(blocks, defaultBlock, (uint)table.Values.Max() + 1, newerCalls);
        program.AddRange(SearchTree(runs, 0, runs.Count - 1));

        if (program.Count > SeccompFilter.MaxInstructions)
        {
            throw new InvalidOperationException(
                $"The seccomp filter for {architecture} needs {program.Count} instructions; the kernel accepts at most {SeccompFilter.MaxInstructions}.");
        }

        return new SeccompFilter(architecture, [.. program], allowed.ToImmutable(), conditional.ToImmutable(), skipped.ToImmutable());
    }

    /// <summary>
    /// Maximal runs of consecutive numbers (covering 0 to 2^32-1) that share the same code, each given by its first
    /// number. Numbers the profile does not mention take the default below <paramref name="firstNewer"/>, and
    /// <paramref name="newerBlock"/> from there on.
    /// </summary>
    private static List<(uint Start, ImmutableArray<BpfInstruction> Code)> SplitIntoRuns(
        SortedDictionary<uint, ImmutableArray<BpfInstruction>> blocks,
        ImmutableArray<BpfInstruction> defaultBlock,
        uint firstNewer,
        ImmutableArray<BpfInstruction> newerBlock)
    {
        var runs = new List<(uint Start, ImmutableArray<BpfInstruction> Code)>();
        void Add(uint start, ImmutableArray<BpfInstruction> code)
        {
            if (runs.Count == 0 || !runs[^1].Code.SequenceEqual(code))
                runs.Add((start, code));
        }

        // Fills [from, to) with what unmentioned numbers get.
        void AddGap(ulong from, ulong to)
        {
            if (from < firstNewer)
                Add((uint)from, defaultBlock);
            if (to > firstNewer)
                Add((uint)Math.Max(from, firstNewer), newerBlock);
        }

        ulong next = 0;
        foreach (var (number, code) in blocks)
        {
            if (number > next)
                AddGap(next, number);
            Add(number, code);
            next = (ulong)number + 1;
        }

        if (next <= uint.MaxValue)
            AddGap(next, (ulong)uint.MaxValue + 1);
        return runs;
    }

    /// <summary>
    /// The code that finds the run holding the number in A, runs <paramref name="first"/> to <paramref name="last"/>
    /// (the number is known to lie in them). The left half is laid out right after the test, so only the jump to
    /// the right half can be long; past 255 instructions it goes through a <c>ja</c>, which has a 32-bit offset.
    /// </summary>
    private static List<BpfInstruction> SearchTree(List<(uint Start, ImmutableArray<BpfInstruction> Code)> runs, int first, int last)
    {
        if (first == last)
            return [.. runs[first].Code];

        var middle = first + ((last - first + 1) / 2);
        var left = SearchTree(runs, first, middle - 1);
        var right = SearchTree(runs, middle, last);
        var code = new List<BpfInstruction>(left.Count + right.Count + 2);
        if (left.Count <= BpfInstruction.MaxConditionalJump)
        {
            code.Add(new(BpfOpcodes.JumpIfGreaterOrEqual, (byte)left.Count, 0, runs[middle].Start));
        }
        else
        {
            code.Add(new(BpfOpcodes.JumpIfGreaterOrEqual, 0, 1, runs[middle].Start));
            code.Add(new(BpfOpcodes.JumpAlways, 0, 0, (uint)left.Count));
        }

        code.AddRange(left);
        code.AddRange(right);
        return code;
    }

    /// <summary>The rules of one call, tried in order; the first whose conditions all hold returns its action.</summary>
    private static ImmutableArray<BpfInstruction> CompileRules(IEnumerable<SyscallRule> rules, SeccompAction defaultAction)
    {
        var builder = new BpfProgramBuilder();
        foreach (var rule in rules)
        {
            var nextRule = builder.NewLabel();
            foreach (var condition in rule.Conditions)
                CompileCondition(builder, condition, nextRule);
            builder.Emit(BpfOpcodes.ReturnConstant, rule.Action.ReturnValue);
            builder.Mark(nextRule);
        }

        builder.Emit(BpfOpcodes.ReturnConstant, defaultAction.ReturnValue);
        return [.. builder.Build()];
    }

    /// <summary>Falls through when <paramref name="condition"/> holds, jumps to <paramref name="fail"/> otherwise.</summary>
    private static void CompileCondition(BpfProgramBuilder builder, ArgumentCondition condition, int fail)
    {
        var maskHigh = condition.Is32Bit ? 0u : (uint)(condition.Mask >> 32);
        var valueHigh = condition.Is32Bit ? 0u : (uint)(condition.Value >> 32);
        var maskLow = (uint)condition.Mask;
        var valueLow = (uint)condition.Value;

        // A high half that is masked out entirely and compared with zero always matches (clone's flags).
        var checkHigh = maskHigh != 0 || valueHigh != 0;

        switch (condition.Comparison)
        {
            case ArgumentComparison.Equal or ArgumentComparison.MaskedEqual:
                if (checkHigh)
                {
                    LoadMasked(builder, SeccompDataLayout.ArgumentHigh(condition.Index), maskHigh);
                    builder.JumpIf(BpfOpcodes.JumpIfEqual, valueHigh, whenTrue: null, whenFalse: fail);
                }

                LoadMasked(builder, SeccompDataLayout.ArgumentLow(condition.Index), maskLow);
                builder.JumpIf(BpfOpcodes.JumpIfEqual, valueLow, whenTrue: null, whenFalse: fail);
                break;

            case ArgumentComparison.NotEqual:
                var holds = builder.NewLabel();
                if (checkHigh)
                {
                    LoadMasked(builder, SeccompDataLayout.ArgumentHigh(condition.Index), maskHigh);
                    builder.JumpIf(BpfOpcodes.JumpIfEqual, valueHigh, whenTrue: null, whenFalse: holds);
                }

                LoadMasked(builder, SeccompDataLayout.ArgumentLow(condition.Index), maskLow);
                builder.JumpIf(BpfOpcodes.JumpIfEqual, valueLow, whenTrue: fail, whenFalse: null);
                builder.Mark(holds);
                break;

            default:
                throw new InvalidOperationException($"Unknown comparison {condition.Comparison}.");
        }
    }

    private static void LoadMasked(BpfProgramBuilder builder, uint offset, uint mask)
    {
        builder.Emit(BpfOpcodes.LoadWordAbsolute, offset);
        if (mask != uint.MaxValue)
            builder.Emit(BpfOpcodes.AndConstant, mask);
    }

    private static BpfInstruction Load(uint offset) => new(BpfOpcodes.LoadWordAbsolute, 0, 0, offset);

    private static BpfInstruction Return(SeccompAction action) => new(BpfOpcodes.ReturnConstant, 0, 0, action.ReturnValue);
}
