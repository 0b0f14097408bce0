namespace Berth.Benchmarks.StackStart.Contenders;

/// <summary>What every contender's services are told alike, whoever starts them.</summary>
internal static class ServiceEnvironment
{
    /// <summary>
    /// .NET's Production environment for every service (the Berth stack's one environment is <c>prod</c>; the floor
    /// and the Aspire app host get it as <c>DOTNET_ENVIRONMENT</c>): no development-time file watching or scope checks
    /// in any of them.
    /// </summary>
    public const string DotnetEnvironment = "Production";
}
