namespace Berth.Benchmarks.StackStart.Contenders;

/// <summary>The contenders' names on the command line and in the report, in the report's order.</summary>
internal static class ContenderKeys
{
    public const string Floor = "floor";

    public const string Berth = "berth";

    public const string Aspire = "aspire";

    public static IReadOnlyList<string> All { get; } = [Floor, Berth, Aspire];

    /// <summary>What runs without <c>--only</c>.</summary>
    public static IReadOnlyList<string> Default { get; } = All;
}
