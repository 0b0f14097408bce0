using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Host.Orchestration;
using Berth.Host.Testing;
using Berth.Host.TestStack;

namespace Berth.Host.Harness.Tests;

/// <summary>
/// A test project's view of a stack: the generated <c>HarnessStack.StartAsync</c> starts the referenced stack project
/// in real containers, its typed services give clients and states, and dispose takes it all away.
/// </summary>
public sealed class RunningStackTests : IDisposable
{
    private readonly IsolatedRun _run = new();

    public void Dispose() => _run.Dispose();

    [Fact]
    public async Task StartAsyncRunsTheStackWithAClientForEachServiceAndTheGateway()
    {
        int[] processes;
        await using (var stack = await HarnessStack.StartAsync(HarnessEnvironment.Test, _run.Options, _run.Timeout))
        {
            Assert.Equal(HarnessEnvironment.Test, stack.Environment);
            Assert.Equal("test", stack.Definition.Environment);
            await stack.WaitHealthyAsync(_run.Timeout);

            // Each service directly, api through its health-checked port, store though it has no route.
            using (var api = stack.Api.CreateHttpClient())
            {
                Assert.StartsWith("replica=api-1 path=/hello host=api ", await api.GetStringAsync("hello", _run.Timeout), StringComparison.Ordinal);

                // api reaches store by name over the mesh, as it declared.
                Assert.StartsWith("replica=store-1 path=/from-api host=store:8080 ", await api.GetStringAsync("call?url=http://store:8080/from-api", _run.Timeout), StringComparison.Ordinal);
            }

            using (var store = stack.Store.CreateHttpClient())
            {
                Assert.StartsWith("replica=store-1 path=/items host=store ", await store.GetStringAsync("items", _run.Timeout), StringComparison.Ordinal);
            }

            // The gateway on a free port, routing as stack.toml says; store has no route.
            Assert.NotEqual(8080, stack.Gateway.Address.Port);
            using (var gateway = stack.Gateway.CreateHttpClient())
            {
                Assert.StartsWith("replica=api-1 path=/api/items ", await gateway.GetStringAsync("/api/items", _run.Timeout), StringComparison.Ordinal);
                using var unrouted = await gateway.GetAsync("/store", _run.Timeout);
                Assert.Equal(HttpStatusCode.NotFound, unrouted.StatusCode);
            }

            // A raw connection, as to a TCP service.
            using (var socket = await stack.Store.ConnectAsync(_run.Timeout))
            {
                await socket.SendAsync(Encoding.ASCII.GetBytes("GET /raw HTTP/1.0\r\nHost: store\r\n\r\n"), _run.Timeout);
                using var reader = new StreamReader(new NetworkStream(socket, ownsSocket: false));
                Assert.Contains("replica=store-1 path=/raw ", await reader.ReadToEndAsync(_run.Timeout), StringComparison.Ordinal);
            }

            // The published port on a free port of its own.
            var published = Assert.Single(stack.Store.PublishedPorts);
            Assert.NotEqual(18080, published.EndPoint.Port);
            using (var client = new HttpClient { BaseAddress = new Uri($"http://{published.EndPoint}/") })
            {
                Assert.StartsWith("replica=store-1 path=/published ", await client.GetStringAsync("published", _run.Timeout), StringComparison.Ordinal);
            }

            var api1 = Assert.Single(stack.Api.Replicas);
            var store1 = Assert.Single(stack.Store.Replicas);
            Assert.Equal(("api-1", ReplicaEventKind.Healthy, true), (api1.Name, api1.State, api1.IsReady));
            Assert.Equal(("store-1", ReplicaEventKind.Started, true), (store1.Name, store1.State, store1.IsReady));
            processes = [api1.ProcessId!.Value, store1.ProcessId!.Value];
            Assert.All(processes, pid => Assert.True(Directory.Exists($"/proc/{pid}")));

            // The run's own named volume.
            Assert.Single(Directory.GetDirectories(Path.Combine(_run.StateDirectory, "volumes"), "data", SearchOption.AllDirectories));
        }

        _run.AssertNothingLeft(processes);
        Assert.Contains(_run.Lines, line => line.StartsWith("  api-1    healthy", StringComparison.Ordinal));
        Assert.Contains("Stack 'harness' is up", string.Join('\n', _run.Lines), StringComparison.Ordinal);
        Assert.Contains(_run.Lines, line => line.StartsWith("  store-1  stopped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStackThatCannotStartThrowsTheReasonAndLeavesNothing()
    {
        var failure = await Assert.ThrowsAsync<StackStartException>(() => HarnessStack.StartAsync(HarnessEnvironment.Broken, _run.Options, _run.Timeout));

        Assert.Equal("api", Assert.Single(failure.Problems).Service);
        Assert.Contains("api-1 ended (exit code 3) before it was healthy", failure.Message, StringComparison.Ordinal);
        _run.AssertNothingLeft();
        Assert.Contains(_run.Lines, line => line.StartsWith("  store-1  stopped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStartCancelledHalfwayThrowsAndLeavesNothing()
    {
        // Cancelled once store runs, while api's container starts: what started is stopped and removed.
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_run.Timeout);
        var lines = _run.Options.Output!;
        _run.Options.Output = line =>
        {
            lines(line);
            if (line.StartsWith("  api-1    starting", StringComparison.Ordinal))
            {
                _ = Task.Run(cancel.Cancel);
            }
        };

        // A start that was not cancelled after all is stopped too, before the assertion fails.
        var failure = await Record.ExceptionAsync(async () =>
        {
            await using var stack = await HarnessStack.StartAsync(HarnessEnvironment.Test, _run.Options, cancel.Token);
        });

        Assert.IsAssignableFrom<OperationCanceledException>(failure);

        Assert.False(_run.Timeout.IsCancellationRequested);
        _run.AssertNothingLeft();
        Assert.Contains(_run.Lines, line => line.StartsWith("  store-1  stopped", StringComparison.Ordinal));
        Assert.DoesNotContain(_run.Lines, line => line.StartsWith("  api-1    healthy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientsTakeTurnsOverReadyReplicasAndWaitsFollowARestart()
    {
        _run.Options.ConfigureStack = stack => stack.WithService(HarnessStack.ServiceNames.Store, s => s with { Replicas = 2 });
        await using var stack = await HarnessStack.StartAsync(HarnessEnvironment.Test, _run.Options, _run.Timeout);

        // Each new connection goes to the next replica.
        using (var store = stack.Store.CreateHttpClient())
        {
            var answers = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "who") { Headers = { ConnectionClose = true } };
                using var response = await store.SendAsync(request, _run.Timeout);
                answers.Add((await response.Content.ReadAsStringAsync(_run.Timeout)).Split(' ')[0]);
            }

            Assert.Equal(["replica=store-1", "replica=store-2"], answers.Order().Distinct());
            Assert.Equal(answers[0], answers[2]);
            Assert.NotEqual(answers[0], answers[1]);
        }

        // api crashes; restart = "on-failure" brings it back as a new process, which the wait sees healthy.
        var before = Assert.Single(stack.Api.Replicas).ProcessId;
        using var api = stack.Api.CreateHttpClient();
        Assert.Equal("exiting with code 1", await api.GetStringAsync("exit/1", _run.Timeout));
        await stack.Api.WaitAsync(replicas => replicas[0].ProcessId is { } pid && pid != before, _run.Timeout);
        await stack.Api.WaitHealthyAsync(_run.Timeout);
        Assert.Equal(ReplicaEventKind.Healthy, stack.Api.Replicas[0].State);
        Assert.StartsWith("replica=api-1 path=/again ", await api.GetStringAsync("again", _run.Timeout), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheUntypedStackHasItsServicesByNameAndItsWaitsEndWithIt()
    {
        // An unknown environment is an argument error, before anything starts.
        Assert.Throws<ArgumentException>(() => { _ = RunningStack.StartAsync(HarnessStack.Descriptor, "nowhere", _run.Options, _run.Timeout); });
        var stack = await RunningStack.StartAsync(HarnessStack.Descriptor, "test", _run.Options, _run.Timeout);
        var api = stack.GetService("api");
        Assert.Equal(["api", "store"], stack.Services.Select(s => s.Name));
        Assert.Throws<KeyNotFoundException>(() => stack.GetService("nowhere"));
        using (var client = api.CreateHttpClient())
        {
            Assert.StartsWith("replica=api-1 ", await client.GetStringAsync("untyped", _run.Timeout), StringComparison.Ordinal);
        }

        var unhealthy = api.WaitAsync(ReplicaEventKind.Unhealthy, _run.Timeout);
        await stack.DisposeAsync();

        var ended = await Assert.ThrowsAsync<InvalidOperationException>(() => unhealthy);
        Assert.Contains("Service 'api' was stopped with its stack", ended.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => stack.GetService("store").ConnectAsync(_run.Timeout).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => api.WaitHealthyAsync(_run.Timeout));
        Assert.Throws<InvalidOperationException>(() => stack.Gateway);
        _run.AssertNothingLeft();
    }
}
