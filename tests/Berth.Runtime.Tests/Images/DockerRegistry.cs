using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Berth.Runtime.Tests.Images;

/// <summary>
/// Debian's <c>docker-registry</c> (the distribution registry) on <c>127.0.0.1</c> and a free port, its storage in
/// a directory of the test, configured by a YAML file the test writes; killed by its PID on dispose.
/// </summary>
internal sealed class DockerRegistry : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _log;

    /// <param name="extraConfig">YAML appended to the configuration: an <c>auth:</c> section, <c>tls:</c> under <c>http:</c> (indented).</param>
    public DockerRegistry(string storage, string extraConfig = "", string httpExtra = "", bool https = false)
    {
        Storage = storage;
        Port = FreePort();
        var config = Path.Combine(storage, $"config-{Port}.yml");
        Directory.CreateDirectory(storage);
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {storage}
            http:
              addr: 127.0.0.1:{Port}
            {httpExtra}
            {extraConfig}
            """);
        var start = new ProcessStartInfo(RequiredTool.Find("docker-registry", "docker-registry")) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        _process = Process.Start(start) ?? throw new InvalidOperationException("docker-registry did not start.");
        _log = Task.WhenAll(_process.StandardError.ReadToEndAsync(), _process.StandardOutput.ReadToEndAsync()).ContinueWith(t => string.Concat(t.Result), TaskScheduler.Default);
        WaitUntilListening(https);
    }

    public int Port { get; }

    public string Storage { get; }

    /// <summary>The registry's name in references: <c>127.0.0.1:PORT</c>.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>The file the registry keeps a blob's content in.</summary>
    public string BlobDataPath(string digest)
    {
        var hex = digest["sha256:".Length..];
        return Path.Combine(Storage, "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WaitUntilListening(bool https)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}: {_log.Result}");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException($"docker-registry does not listen on {Port}{(https ? " (https)" : "")}.");
    }
}
