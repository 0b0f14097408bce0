using System.Diagnostics;

namespace Berth.Host.Tests.Orchestration;

internal static class Eventually
{
    /// <summary>
    /// Waits, within <see cref="TestTimeouts.Generous"/>, for what the kernel does soon after a cause the test has
    /// seen happen (a process ends after its parent died, a cgroup empties): there is no event to wait for.
    /// </summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var bound = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(bound.Elapsed < TestTimeouts.Generous, failure);
            await Task.Delay(20);
        }
    }
}
