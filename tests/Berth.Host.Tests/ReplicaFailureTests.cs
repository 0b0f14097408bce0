using System.Net;

namespace Berth.Host.Tests;

/// <summary>Replicas that die, leave and come back while traffic flows.</summary>
public sealed class ReplicaFailureTests : IAsyncLifetime
{
    private static readonly Berth.Host.StackDefinition CatalogOnly = NetworkedStack.Shop with
    {
        Services = [NetworkedStack.Shop.GetService("catalog")],
    };

    private NetworkedStack _stack = null!;

    public async Task InitializeAsync() => _stack = await NetworkedStack.StartAsync(CatalogOnly, "catalog");

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task AReplicaKilledUnderLoadCostsTheClientsNothing()
    {
        using var load = new CancellationTokenSource();
        var answers = new System.Collections.Concurrent.ConcurrentBag<string>();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var firstAnswers = new CountdownEvent(20);

        async Task ClientAsync()
        {
            while (!load.IsCancellationRequested)
            {
                using var response = await _stack.Gateway.GetAsync("/api/catalog/load");
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    answers.Add(body.Split(' ')[0]);
                    if (!firstAnswers.IsSet)
                    {
                        firstAnswers.Signal();
                    }
                }
                else
                {
                    failures.Add($"{(int)response.StatusCode}: {body}");
                }
            }
        }

        var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(ClientAsync)).ToList();
        Assert.True(firstAnswers.Wait(TimeSpan.FromSeconds(60)), "The gateway did not answer before the kill.");

        // A crash: the replica is gone but still in the routing table, as until the orchestrator notices.
        await _stack.KillReplicaAsync("catalog-1");
        var answersAtKill = answers.Count;

        // Until catalog-2 has answered plenty after the kill (an event; the bound only keeps a broken gateway from hanging the run).
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (answers.Count < answersAtKill + 200 && failures.IsEmpty)
        {
            await Task.Delay(10, patience.Token);
        }

        await load.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Empty(failures);
        Assert.Contains("replica=catalog-1", answers);
        Assert.Contains("replica=catalog-2", answers);
    }

    [Fact]
    public async Task ReplicasJoiningAndLeavingUpdateTheRoutes()
    {
        await _stack.StopReplicaAsync("catalog-1");
        var onlySecond = await SeenAsync(4);

        await _stack.StartReplicaAsync("catalog", 3);
        var secondAndThird = await SeenAsync(4);

        Assert.Equal(["replica=catalog-2"], onlySecond);
        Assert.Equal(["replica=catalog-2", "replica=catalog-3"], secondAndThird);
    }

    private async Task<IReadOnlyList<string>> SeenAsync(int requests)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < requests; i++)
        {
            seen.Add((await _stack.Gateway.GetStringAsync("/api/catalog/")).Split(' ')[0]);
        }

        return [.. seen];
    }
}
