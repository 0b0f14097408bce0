namespace Berth.Host.Tests.Orchestration;

internal static class TestTimeouts
{
    /// <summary>A bound for waits, generous for a loaded machine: a wait that hits it has failed, not raced.</summary>
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
}
