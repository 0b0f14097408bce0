using System.Net;
using System.Net.Sockets;
using Tmds.Linux;

namespace Shop.Tests;

/// <summary>
/// A service's process as seen from inside its container, through /proc: the files it sees (its root), its
/// identity and privileges (status), and connections made from its network namespace, to the names its own
/// /etc/hosts gives, as the service itself would make them.
/// </summary>
internal sealed class ContainerProcess(int pid)
{
    public int Pid { get; } = pid;

    /// <summary>A path as the process sees it (under /proc/PID/root).</summary>
    public string PathInside(string path) => $"/proc/{Pid}/root{path}";

    /// <summary>The names its /etc/hosts gives.</summary>
    public IReadOnlyDictionary<string, IPAddress> Hosts()
    {
        var hosts = new Dictionary<string, IPAddress>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(PathInside("/etc/hosts")))
        {
            var fields = line.Split('#')[0].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && IPAddress.TryParse(fields[0], out var address))
            {
                foreach (var name in fields.Skip(1))
                {
                    hosts.TryAdd(name, address);
                }
            }
        }

        return hosts;
    }

    /// <summary>The fields of /proc/PID/status: Uid, Gid, CapEff, NoNewPrivs, Seccomp, ….</summary>
    public IReadOnlyDictionary<string, string> Status() => File.ReadAllLines($"/proc/{Pid}/status")
        .Select(line => line.Split(':', 2))
        .Where(parts => parts.Length == 2)
        .ToDictionary(parts => parts[0], parts => parts[1].Trim(), StringComparer.Ordinal);

    /// <summary>A TCP connection made from inside the process's network namespace.</summary>
    public async Task<Socket> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = CreateSocketInside();
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// An HTTP client whose requests leave from inside the process's network, with host names looked up in its
    /// /etc/hosts: a name it does not have fails as it would fail there.
    /// </summary>
    public HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            var address = Hosts().TryGetValue(host, out var known) || IPAddress.TryParse(host, out known)
                ? known
                : throw new HttpRequestException($"'{host}' is not a name inside the container (its /etc/hosts has no entry for it)");
            var socket = await ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>
    /// socket(2) on a thread of its own that first joins the process's network namespace (setns acts on the calling
    /// thread only); the socket stays in that namespace for good, and the thread ends.
    /// </summary>
    private Socket CreateSocketInside()
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var ns = File.OpenHandle($"/proc/{Pid}/ns/net");
                if (LibC.setns((int)ns.DangerousGetHandle(), LibC.CLONE_NEWNET) != 0)
                {
                    throw new IOException($"setns into the network of process {Pid} failed (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
                }

                socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SocketException)
            {
                failure = e;
            }
        })
        {
            Name = "shop-tests-netns",
        };
        thread.Start();
        thread.Join();
        return socket ?? throw new InvalidOperationException($"No socket in the network of process {Pid}.", failure);
    }
}
