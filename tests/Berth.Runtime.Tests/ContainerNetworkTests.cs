using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Berth.Runtime.Containers;
using Berth.Runtime.Filesystem;
using Berth.Runtime.Networking;

namespace Berth.Runtime.Tests;

/// <summary>
/// The host is the containers' network: real namespaces, real sockets. The service is the probe's echo server in
/// the .NET template; the host connects to it and listens for it through <see cref="Container.Network"/>.
/// </summary>
public sealed class ContainerNetworkTests : IDisposable
{
    private static readonly IPAddress s_dependencyAddress = IPAddress.Parse("127.0.1.5");

    private readonly string _stateDirectory = Path.Combine("/run/berth", $"test-{Guid.NewGuid():N}");
    private readonly ContainerRuntime _runtime;
    private readonly CancellationTokenSource _patience = new(GatedProcess.Patience);

    public ContainerNetworkTests() =>
        _runtime = new ContainerRuntime(new ContainerRuntimeOptions { StateDirectory = _stateDirectory, CgroupParent = $"berth/test-{Guid.NewGuid():N}" });

    public void Dispose()
    {
        _patience.Dispose();
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task AServiceOnLoopbackInsideIsReachedThroughTheNetworkAndNotFromTheHost()
    {
        // Free on the host, so that only the container's own loopback can answer on it.
        var port = FreeHostPort(IPAddress.Loopback);
        var (container, report) = await StartEchoServerAsync(NetworkMode.Private, IPAddress.Loopback, port);
        await using (container)
        {
            Assert.Equal($"127.0.0.1:{port}", report.GetProperty("listening").GetString());
            Assert.Equal(["lo"], report.GetProperty("interfaces").EnumerateArray().Select(e => e.GetString()));
            Assert.True(report.GetProperty("loopbackUp").GetBoolean(), "lo must be up before the service starts.");
            Assert.Equal(NetworkMode.Private, container.Network.Mode);

            using var inside = await container.Network.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), _patience.Token);
            Assert.Equal("hello", await ExchangeAsync(inside, "hello"));

            using var outside = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var refused = await Assert.ThrowsAsync<SocketException>(() => outside.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), _patience.Token).AsTask());
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
    }

    [Fact]
    public async Task AListenerTheHostCreatesInsideIsReachedByTheServiceAndNotFromTheHost()
    {
        var (container, _) = await StartEchoServerAsync(NetworkMode.Private, IPAddress.Loopback, 8080);
        await using (container)
        {
            var port = FreeHostPort(s_dependencyAddress);
            using var listener = container.Network.Listen(new IPEndPoint(s_dependencyAddress, port));
            Assert.Equal(new IPEndPoint(s_dependencyAddress, port), listener.LocalEndPoint);
            var accepted = AnswerOneAsync(listener, reply: "from the host");

            using var control = await container.Network.ConnectAsync(new IPEndPoint(IPAddress.Loopback, 8080), _patience.Token);
            Assert.Equal("reply from the host", await ExchangeAsync(control, $"connect 127.0.1.5 {port} hi"));
            Assert.Equal("hi", await accepted);

            // The host's own loopback does not have it, and the service does not reach the host's.
            using var outside = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var refused = await Assert.ThrowsAsync<SocketException>(() => outside.ConnectAsync(new IPEndPoint(s_dependencyAddress, port), _patience.Token).AsTask());
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

            using var hostListener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            hostListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            hostListener.Listen();
            var hostPort = ((IPEndPoint)hostListener.LocalEndPoint!).Port;
            Assert.Equal("error ConnectionRefused", await ExchangeAsync(control, $"connect 127.0.0.1 {hostPort} hi"));
        }
    }

    [Fact]
    public async Task ASteeredListenerGetsItsAddressAndPortThoughTheServiceHoldsThePortOnEveryAddress()
    {
        // As ASP.NET Core listens: [::]:8080 in dual mode, so 8080 on every IPv4 address of the namespace too.
        var (container, report) = await StartEchoServerAsync(NetworkMode.Private, IPAddress.IPv6Any, 8080);
        await using (container)
        {
            Assert.Equal("[::]:8080", report.GetProperty("listening").GetString());
            var target = new IPEndPoint(s_dependencyAddress, 8080);
            var taken = Assert.Throws<SocketException>(() => container.Network.Listen(target));
            Assert.Equal(SocketError.AddressAlreadyInUse, taken.SocketErrorCode);

            using var steered = container.Network.ListenSteered(target);
            var local = (IPEndPoint)steered.LocalEndPoint!;
            Assert.Equal(s_dependencyAddress, local.Address);
            Assert.NotEqual(8080, local.Port);
            Assert.True(container.Network.IsSteered(target));

            // The service connects to 127.0.1.5:8080 and reaches the host's socket.
            using var control = await container.Network.ConnectAsync(new IPEndPoint(IPAddress.Loopback, 8080), _patience.Token);
            var accepted = AnswerOneAsync(steered, reply: "from the host");
            Assert.Equal("reply from the host", await ExchangeAsync(control, "connect 127.0.1.5 8080 hi"));
            Assert.Equal("hi", await accepted);

            // Its own port on other addresses is still its own; another port of that address has nothing.
            Assert.Equal("reply self", await ExchangeAsync(control, "connect 127.0.0.1 8080 self"));
            Assert.Equal("reply other address", await ExchangeAsync(control, "connect 127.0.1.6 8080 other address"));
            Assert.Equal("error ConnectionRefused", await ExchangeAsync(control, "connect 127.0.1.5 8081 other port"));

            // A connection the host makes inside is steered alike.
            accepted = AnswerOneAsync(steered, reply: "again");
            using (var fromHost = await container.Network.ConnectAsync(target, _patience.Token))
            {
                Assert.Equal("again", await ExchangeAsync(fromHost, "host"));
            }

            Assert.Equal("host", await accepted);

            // One listener per address and port, as bind(2) has it.
            var twice = Assert.Throws<SocketException>(() => container.Network.ListenSteered(target));
            Assert.Equal(SocketError.AddressAlreadyInUse, twice.SocketErrorCode);

            // Closing the socket ends its steering: the kernel drops the entry, and the port is the service's again.
            steered.Dispose();
            Assert.False(container.Network.IsSteered(target));
            Assert.Equal("reply back to the service", await ExchangeAsync(control, "connect 127.0.1.5 8080 back to the service"));
            using var next = container.Network.ListenSteered(target);
            Assert.True(container.Network.IsSteered(target));
        }
    }

    [Fact]
    public async Task DisposingTheContainerReleasesTheSteeringProgramItsMapAndItsLink()
    {
        var before = BpfObjects();
        var container = await _runtime.StartAsync(new ContainerSpec { Id = NewId(), Executable = "/bin/sleep", Args = ["300"] });
        try
        {
            var netns = NetworkNamespaceOf($"/proc/{container.Pid}");
            using var first = container.Network.ListenSteered(new IPEndPoint(s_dependencyAddress, 8080));
            var added = BpfObjects().Except(before).ToList();
            Assert.Equal(["bpf-map", "bpf-prog", "bpf_link"], added.Select(o => o.Kind).Order(StringComparer.Ordinal));
            var link = added.Single(o => o.Kind == "bpf_link");
            Assert.Equal(netns, $"net:[{link.Info["netns_ino"]}]");
            Assert.Equal(added.Single(o => o.Kind == "bpf-prog").Info["prog_id"], link.Info["prog_id"]);

            // One program and map for the namespace, whatever the number of listeners.
            using var second = container.Network.ListenSteered(new IPEndPoint(s_dependencyAddress, 80));
            Assert.Equal(added.ToHashSet(), BpfObjects().Except(before).ToHashSet());
        }
        finally
        {
            await container.DisposeAsync();
        }

        Assert.Empty(BpfObjects().Except(before));
        Assert.Throws<ObjectDisposedException>(() => container.Network.ListenSteered(new IPEndPoint(s_dependencyAddress, 8080)));
    }

    [Fact]
    public async Task InHostModeTheServiceAndTheFactoryUseTheHostsNetwork()
    {
        var port = FreeHostPort(IPAddress.Loopback);
        var (container, report) = await StartEchoServerAsync(NetworkMode.Host, IPAddress.Loopback, port);
        await using (container)
        {
            Assert.Equal(NetworkMode.Host, container.Network.Mode);
            Assert.Equal(HostInterfaces(), report.GetProperty("interfaces").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal));

            // A plain host socket reaches the service, and so does the factory's.
            using var plain = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await plain.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), _patience.Token);
            Assert.Equal("plain", await ExchangeAsync(plain, "plain"));
            using var control = await container.Network.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), _patience.Token);
            Assert.Equal("factory", await ExchangeAsync(control, "factory"));

            // The service reaches a listener of the host's.
            using var listener = container.Network.Listen(new IPEndPoint(IPAddress.Loopback, 0));
            var accepted = AnswerOneAsync(listener, reply: "host");
            Assert.Equal("reply host", await ExchangeAsync(control, $"connect 127.0.0.1 {((IPEndPoint)listener.LocalEndPoint!).Port} hi"));
            Assert.Equal("hi", await accepted);

            // Nothing is attached to the host's own namespace: a steered listener is a plain one there.
            var dependency = new IPEndPoint(s_dependencyAddress, FreeHostPort(s_dependencyAddress));
            using var steered = container.Network.ListenSteered(dependency);
            Assert.Equal(dependency, steered.LocalEndPoint);
            Assert.False(container.Network.IsSteered(dependency));
        }
    }

    [Fact]
    public async Task ManyConcurrentCallersAreServedByOneThread()
    {
        const int Callers = 16;
        const int ConnectionsEach = 8;
        var (container, _) = await StartEchoServerAsync(NetworkMode.Private, IPAddress.Loopback, 8080);
        await using (container)
        {
            var netns = NetworkNamespaceOf($"/proc/{container.Pid}");

            // The container's parent thread (it unshared the namespaces) and, for each socket() call, the runtime's
            // socket thread: nothing else of the host ever enters the namespace.
            var parent = Assert.Single(HostThreadsIn(netns));
            var socketThread = Assert.Single(HostThreadsNamed("berth-netns"));
            var seen = new HashSet<int>();

            var callers = Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
            {
                var replies = new List<string?>();
                for (var i = 0; i < ConnectionsEach; i++)
                {
                    using var socket = await container.Network.ConnectAsync(new IPEndPoint(IPAddress.Loopback, 8080), _patience.Token);
                    replies.Add(await ExchangeAsync(socket, $"{caller}-{i}"));
                }

                return replies;
            }));
            var all = Task.WhenAll(callers);
            while (!all.IsCompleted)
            {
                seen.UnionWith(HostThreadsIn(netns));
                await Task.Yield();
            }

            Assert.Equal(Callers * ConnectionsEach, (await all).SelectMany(replies => replies).Distinct().Count());
            Assert.Subset(new HashSet<int> { parent, socketThread }, seen);
            Assert.Equal([socketThread], HostThreadsNamed("berth-netns"));
        }
    }

    [Fact]
    public async Task DisposingTheContainerLetsItsNamespaceGoAndRefusesNewSockets()
    {
        var container = await _runtime.StartAsync(new ContainerSpec { Id = NewId(), Executable = "/bin/sleep", Args = ["300"] });
        string netns;
        string descriptor;
        try
        {
            netns = NetworkNamespaceOf($"/proc/{container.Pid}");
            descriptor = Assert.Single(DescriptorsOf(netns));

            // Without a root filesystem of its own too: a listener inside and a connection to it.
            using var listener = container.Network.Listen(new IPEndPoint(IPAddress.Loopback, 0));
            var accepted = AnswerOneAsync(listener, reply: "pong");
            using var client = await container.Network.ConnectAsync(listener.LocalEndPoint!, _patience.Token);
            Assert.Equal("pong", await ExchangeAsync(client, "ping"));
            Assert.Equal("ping", await accepted);
        }
        finally
        {
            await container.DisposeAsync();
        }

        // By its number: a namespace made meanwhile by a test running beside this one may get the same inode.
        Assert.NotEqual(netns, TryLinkTarget(descriptor));
        Assert.Throws<ObjectDisposedException>(() => container.Network.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => container.Network.ConnectAsync(new IPEndPoint(IPAddress.Loopback, 8080), _patience.Token).AsTask());
    }

    [Fact]
    public async Task IPv6LoopbackIsUpInsideToo()
    {
        await using var container = await _runtime.StartAsync(new ContainerSpec { Id = NewId(), Executable = "/bin/sleep", Args = ["300"] });

        using var listener = container.Network.Listen(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        var accepted = AnswerOneAsync(listener, reply: "v6");
        using var client = await container.Network.ConnectAsync(listener.LocalEndPoint!, _patience.Token);

        Assert.Equal(AddressFamily.InterNetworkV6, client.AddressFamily);
        Assert.Equal("v6", await ExchangeAsync(client, "hello"));
        Assert.Equal("hello", await accepted);
    }

    [Fact]
    public async Task AfterTheServiceHasExitedItsNetworkIsThereUntilTheContainerIsDisposed()
    {
        await using var container = await _runtime.StartAsync(new ContainerSpec { Id = NewId(), Executable = "/bin/true" });
        await container.Exited;

        // Nothing of the container runs any more, but its namespace, held by the host, still works.
        using var listener = container.Network.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        var accepted = AnswerOneAsync(listener, reply: "still here");
        using var client = await container.Network.ConnectAsync(listener.LocalEndPoint!, _patience.Token);
        Assert.Equal("still here", await ExchangeAsync(client, "anyone?"));
        Assert.Equal("anyone?", await accepted);

        await container.DisposeAsync();
        var error = Assert.Throws<ObjectDisposedException>(() => container.Network.Listen(new IPEndPoint(IPAddress.Loopback, 0)));
        Assert.Contains(container.Id, error.Message, StringComparison.Ordinal);
    }

    [RequiresToolFact("busybox", "busybox-static")]
    public async Task AnHttpClientReachesBusyboxHttpdInsideThroughItsConnectCallback()
    {
        var busybox = RequiredTool.Find("busybox", "busybox-static");
        // The service runs as nobody and sees the host's files (no root filesystem of its own): not a 0700
        // temporary directory, but one with the default mode.
        var site = Directory.CreateDirectory(Path.Combine(_stateDirectory, "site"));
        try
        {
            File.WriteAllText(Path.Combine(site.FullName, "index.html"), "served from inside");

            // httpd listens before it goes to the background, so "listening" means it does.
            await using var container = await _runtime.StartAsync(new ContainerSpec
            {
                Id = NewId(),
                Executable = "/bin/sh",
                Args = ["-c", $"{busybox} httpd -p 127.0.0.1:8080 -h {site.FullName} && echo listening && exec /bin/sleep 300"],
            });
            Assert.Equal("listening", await container.StandardOutput.ReadLineAsync(_patience.Token));

            // As a proxy does it: the name is the host's business, the connection goes to the service's port inside.
            using var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                    new NetworkStream(await container.Network.ConnectAsync(new IPEndPoint(IPAddress.Loopback, 8080), cancellationToken), ownsSocket: true),
            };
            using var client = new HttpClient(handler);

            Assert.Equal("served from inside", await client.GetStringAsync(new Uri("http://catalog:8080/index.html"), _patience.Token));
        }
        finally
        {
            site.Delete(recursive: true);
        }
    }

    /// <summary>Starts the probe's echo server in the .NET template and waits for its report, sent once it listens.</summary>
    private async Task<(Container Container, JsonElement Report)> StartEchoServerAsync(NetworkMode network, IPAddress address, int port)
    {
        var container = await _runtime.StartAsync(new ContainerSpec
        {
            Id = NewId(),
            Executable = DotnetRootFilesystem.DotnetLink,
            Args = [$"{DotnetRootFilesystem.AppMountPoint}/Berth.Runtime.Probe.dll", "echo-server", address.ToString(), port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            Environment = new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            Root = DotnetRootFilesystem.ForHost(AppContext.BaseDirectory),
            ReadOnlyRoot = true,
            Network = network,
        });
        try
        {
            var line = await container.StandardOutput.ReadLineAsync(_patience.Token);
            if (line is null)
            {
                container.Signal(Tmds.Linux.LibC.SIGKILL);
                Assert.Fail($"The echo server reported nothing: {await container.StandardError.ReadToEndAsync(_patience.Token)}");
            }

            return (container, JsonDocument.Parse(line).RootElement.Clone());
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    /// <summary>Accepts one connection, reads its line and answers <paramref name="reply"/>.</summary>
    private async Task<string?> AnswerOneAsync(Socket listener, string reply)
    {
        using var connection = await listener.AcceptAsync(_patience.Token);
        await using var stream = new NetworkStream(connection);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var line = await reader.ReadLineAsync(_patience.Token);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(reply + "\n"), _patience.Token);
        return line;
    }

    /// <summary>Sends a line and returns the line that comes back; the socket stays open for more.</summary>
    private async Task<string?> ExchangeAsync(Socket socket, string line)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(line + "\n"), _patience.Token);
        var received = new List<byte>();
        var buffer = new byte[1];
        while (await socket.ReceiveAsync(buffer, _patience.Token) == 1 && buffer[0] != '\n')
        {
            received.Add(buffer[0]);
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }

    /// <summary>A port nothing on the host listens on at <paramref name="address"/> (the kernel's pick).</summary>
    private static int FreeHostPort(IPAddress address)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static IEnumerable<string> HostInterfaces() =>
        File.ReadLines("/proc/net/dev").Skip(2).Select(line => line.Split(':')[0].Trim()).Order(StringComparer.Ordinal);

    /// <summary>The network namespace of a process or task, as <c>net:[INODE]</c>.</summary>
    private static string NetworkNamespaceOf(string procDirectory) =>
        TryNetworkNamespaceOf(procDirectory) ?? throw new InvalidOperationException($"{procDirectory} is gone.");

    /// <summary>This process's threads that are in <paramref name="netns"/>.</summary>
    private static List<int> HostThreadsIn(string netns) =>
        Directory.EnumerateDirectories("/proc/self/task")
            .Where(task => TryNetworkNamespaceOf(task) == netns)
            .Select(task => int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>This process's threads named <paramref name="name"/> (as the kernel keeps it: 15 bytes at most).</summary>
    private static List<int> HostThreadsNamed(string name) =>
        Directory.EnumerateDirectories("/proc/self/task")
            .Where(task => TryRead(Path.Combine(task, "comm"))?.TrimEnd('\n') == name)
            .Select(task => int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>This process's open descriptors that refer to <paramref name="netns"/>.</summary>
    private static List<string> DescriptorsOf(string netns) =>
        Directory.EnumerateFiles("/proc/self/fd")
            .Where(fd => TryLinkTarget(fd) == netns)
            .ToList();

    /// <summary>This process's BPF objects (maps, programs, links) by descriptor: kind and what fdinfo says of each.</summary>
    private static List<BpfObject> BpfObjects() =>
        Directory.EnumerateFiles("/proc/self/fd")
            .Select(fd => (Fd: fd, Target: TryLinkTarget(fd)))
            .Where(fd => fd.Target?.StartsWith("anon_inode:bpf", StringComparison.Ordinal) == true)
            .Select(fd => new BpfObject(fd.Target!["anon_inode:".Length..], TryRead(fd.Fd.Replace("/fd/", "/fdinfo/", StringComparison.Ordinal)) ?? ""))
            .ToList();

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? TryLinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Null for a thread or process that ended meanwhile.</summary>
    private static string? TryNetworkNamespaceOf(string procDirectory) => TryLinkTarget(Path.Combine(procDirectory, "ns", "net"));

    private static string NewId() => $"t-{Guid.NewGuid():N}"[..20];

    /// <summary>A BPF object held open by this process. Equal when kind and id are: fdinfo's counters change.</summary>
    private sealed record BpfObject(string Kind, string FdInfo)
    {
        public IReadOnlyDictionary<string, string> Info { get; } = FdInfo
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 2))
            .Where(field => field.Length == 2)
            .ToDictionary(field => field[0].Trim(), field => field[1].Trim(), StringComparer.Ordinal);

        private string Id => Info.GetValueOrDefault("link_id") ?? Info.GetValueOrDefault("map_id") ?? Info.GetValueOrDefault("prog_id") ?? "";

        public bool Equals(BpfObject? other) => other is not null && Kind == other.Kind && Id == other.Id;

        public override int GetHashCode() => HashCode.Combine(Kind, Id);
    }
}
