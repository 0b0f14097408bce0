namespace Berth.Runtime.Seccomp;

/// <summary>How an <see cref="ArgumentCondition"/> compares a system call argument with its value.</summary>
public enum ArgumentComparison
{
    /// <summary>The argument equals the value.</summary>
    Equal,

    /// <summary>The argument differs from the value.</summary>
    NotEqual,

    /// <summary>The argument, masked with the condition's mask, equals the value (libseccomp's <c>SCMP_CMP_MASKED_EQ</c>).</summary>
    MaskedEqual,
}
