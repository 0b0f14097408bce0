using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Berth.Runtime.Tests.Images;

/// <summary>
/// A token service for a registry configured with <c>auth: token:</c>: on loopback HTTP, it gives a JWT (ES256,
/// signed with a self-signed certificate's key, the certificate in its <c>x5c</c> header) granting the scope asked
/// for, to a client presenting the one user name and password it knows; anyone else gets 401.
/// </summary>
internal sealed class RegistryTokenServer : IDisposable
{
    public const string Service = "berth-test-registry";
    public const string Issuer = "berth-test-issuer";

    private readonly HttpListener _listener = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _certificate;
    private readonly string _expectedAuthorization;
    private readonly Task _serving;

    public RegistryTokenServer(string directory, string userName, string password)
    {
        _certificate = new CertificateRequest("CN=berth test token issuer", _key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        CertificateBundle = Path.Combine(directory, "token-issuer.pem");
        File.WriteAllText(CertificateBundle, _certificate.ExportCertificatePem());
        _expectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{userName}:{password}"));
        var port = DockerRegistry.FreePort();
        Realm = $"http://127.0.0.1:{port}/token";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Realm { get; }

    /// <summary>The PEM file the registry's <c>rootcertbundle</c> names.</summary>
    public string CertificateBundle { get; }

    /// <summary>Token requests seen, anonymous ones included.</summary>
    public int Requests { get; private set; }

    /// <summary>The registry's <c>auth:</c> configuration for this service.</summary>
    public string RegistryConfig => $"""
        auth:
          token:
            realm: {Realm}
            service: {Service}
            issuer: {Issuer}
            rootcertbundle: {CertificateBundle}
        """;

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _serving.Wait();
        }
        catch (AggregateException)
        {
            // The listener stopped under a pending GetContextAsync.
        }

        _certificate.Dispose();
        _key.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Requests++;
            using var response = context.Response;
            if (context.Request.Headers["Authorization"] != _expectedAuthorization)
            {
                response.StatusCode = 401;
                continue;
            }

            var scope = context.Request.QueryString["scope"] ?? "";
            var parts = scope.Split(':');
            var body = JsonSerializer.SerializeToUtf8Bytes(new { token = CreateToken(parts.Length == 3 ? parts[1] : "", parts.Length == 3 ? parts[2].Split(',') : []) });
            response.ContentType = "application/json";
            await response.OutputStream.WriteAsync(body);
        }
    }

    private string CreateToken(string repository, string[] actions)
    {
        static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["typ"] = "JWT",
            ["alg"] = "ES256",
            ["x5c"] = new[] { Convert.ToBase64String(_certificate.RawData) },
        }));
        var claims = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["sub"] = "puller",
            ["aud"] = Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 60,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = new[] { new { type = "repository", name = repository, actions } },
        }));
        var signature = Encode(_key.SignData(Encoding.ASCII.GetBytes($"{header}.{claims}"), HashAlgorithmName.SHA256));
        return $"{header}.{claims}.{signature}";
    }
}
