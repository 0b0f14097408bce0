using Berth.Host.Orchestration;

namespace Berth.Host.Tests.Orchestration;

public sealed class RestartBackoffTests
{
    [Fact]
    public void DelaysDoubleFromOneSecondUpToThirtyAndStartOverAfterAStableRun()
    {
        var backoff = new RestartBackoff();
        var quick = TimeSpan.FromSeconds(1);

        var delays = Enumerable.Range(0, 7).Select(_ => backoff.NextDelay(quick).TotalSeconds).ToList();

        Assert.Equal([1, 2, 4, 8, 16, 30, 30], delays);
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.NextDelay(RestartBackoff.StableRun));
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.NextDelay(quick));
    }
}
