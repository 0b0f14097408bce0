using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Runtime.Probe;

/// <summary>
/// Run as the service of a container: reports what its network looks like from inside, then serves lines on an
/// address inside (an IPv6 one in dual mode, IPv4 included). Every line comes back as it was, except <c>connect ADDRESS PORT MESSAGE</c>: the probe sends
/// MESSAGE from inside to ADDRESS:PORT and answers <c>reply TEXT</c> with the line that came back, or
/// <c>error CODE</c>. So a test decides when the service connects, after it has set up what it should reach.
/// </summary>
internal static class NetworkProbe
{
    public static int Serve(string address, string port)
    {
        var endPoint = Endpoint(address, port);
        using var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // As ASP.NET Core listens on [::]: IPv4 too, so the port is taken on every address of the namespace.
            listener.DualMode = true;
        }

        listener.Bind(endPoint);
        listener.Listen(512);

        // The report says the service listens: the host may connect from here on.
        ProbeOutput.Write(new NetworkReport(
            listener.LocalEndPoint!.ToString()!,
            File.ReadLines("/proc/net/dev").Skip(2).Select(line => line.Split(':')[0].Trim()).ToList(),
            PrivateLoopback.IsUp()));
        while (true)
        {
            var connection = listener.Accept();
            _ = Task.Run(() => ServeAsync(connection));
        }
    }

    private static async Task ServeAsync(Socket connection)
    {
        using (connection)
        {
            await using var stream = new NetworkStream(connection);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await reader.ReadLineAsync() is { } line)
            {
                var answer = line.Split(' ', 4) is ["connect", var address, var port, var message] ? await SendAsync(address, port, message) : line;
                await stream.WriteAsync(Encoding.UTF8.GetBytes(answer + "\n"));
            }
        }
    }

    private static async Task<string> SendAsync(string address, string port, string message)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(Endpoint(address, port));
            await using var stream = new NetworkStream(socket);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(message + "\n"));
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return $"reply {await reader.ReadLineAsync()}";
        }
        catch (SocketException e)
        {
            return $"error {e.SocketErrorCode}";
        }
    }

    private static IPEndPoint Endpoint(string address, string port) =>
        new(IPAddress.Parse(address), int.Parse(port, CultureInfo.InvariantCulture));
}

internal sealed record NetworkReport(string Listening, List<string> Interfaces, bool LoopbackUp);
