using System.Net;
using System.Net.Sockets;

namespace Berth.Benchmarks.StackStart.Contenders;

/// <summary>Ports nothing listens on, picked by the kernel for each start (bound and released at once).</summary>
internal static class FreePorts
{
    public static IReadOnlyList<int> Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
