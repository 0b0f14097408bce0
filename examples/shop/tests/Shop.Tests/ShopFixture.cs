using Berth.Host.Orchestration;

namespace Shop.Tests;

/// <summary>
/// One shop, in its test environment, shared by the tests of <see cref="ShopCollection"/>: starting five services
/// and a job in containers is the expensive part, so it is done once. The tests run one after another (one
/// collection), and a test that disturbs the shop (kills a replica) waits until it is whole again.
/// </summary>
public sealed class ShopFixture : IAsyncLifetime
{
    private readonly ShopRun _run = new();
    private RunningShopStack? _shop;

    public RunningShopStack Shop => _shop ?? throw new InvalidOperationException("The shop did not start.");

    /// <summary>What the run printed so far: progress lines and the services' output.</summary>
    public string Transcript => _run.Transcript;

    internal ShopRun Run => _run;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(ShopRun.Generous);
        _shop = await ShopStack.StartAsync(ShopEnvironment.Test, _run.Options, timeout.Token);
    }

    /// <summary>Completes when every service is ready again, after a test killed one of its replicas.</summary>
    public async Task WaitWholeAsync()
    {
        using var timeout = new CancellationTokenSource(ShopRun.Generous);
        await Task.WhenAll(Shop.Services.Where(s => s.Name != ShopStack.ServiceNames.Migrate).Select(s => s.WaitHealthyAsync(timeout.Token)));
    }

    /// <summary>Kills a replica's service process as a crash would (SIGKILL); the stack restarts it (restart = "on-failure").</summary>
    public static int Kill(Berth.Host.Testing.RunningService service, int index)
    {
        var replica = service.Replicas.Single(r => r.Index == index);
        var pid = replica.ProcessId ?? throw new InvalidOperationException($"{replica} has no process to kill.");
        Assert.Equal(0, Tmds.Linux.LibC.kill(pid, Tmds.Linux.LibC.SIGKILL));
        return pid;
    }

    public async Task DisposeAsync()
    {
        if (_shop is not null)
        {
            await _shop.DisposeAsync();
        }

        _run.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ShopCollection : ICollectionFixture<ShopFixture>
{
    public const string Name = "shop";
}
