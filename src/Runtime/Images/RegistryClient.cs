using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Berth.Runtime.Images;

/// <summary>
/// Pulls images over the OCI distribution API (Docker registry v2) into an <see cref="ImageStore"/>: the manifest
/// (OCI or Docker, an index or manifest list resolved to this machine's platform), then the config and layers the
/// store lacks, each checked against its digest before it enters the store. A download cut short stays in the
/// store's <c>tmp</c> as <c>download-HEX</c> and continues with a <c>Range</c> request next time when the registry
/// allows it (else it starts again). HTTPS always, except for a registry on this machine (<c>localhost</c>,
/// <c>127.0.0.1</c>, <c>[::1]</c>), spoken to in plain HTTP when it answers a TLS handshake with no certificate, as Docker does.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private const int MaxManifestBytes = 4 << 20;
    private static readonly string[] s_manifestTypes = [MediaTypes.OciIndex, MediaTypes.OciManifest, MediaTypes.DockerManifestList, MediaTypes.DockerManifest];

    private readonly RegistryClientOptions _options;
    private readonly HttpClient _http;
    private readonly Dictionary<string, Uri> _endpoints = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, AuthenticationHeaderValue> _authorizations = new(StringComparer.Ordinal);

    public RegistryClient(RegistryClientOptions? options = null)
    {
        _options = options ?? new RegistryClientOptions();
        var handler = new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, ConnectTimeout = TimeSpan.FromSeconds(30) };
        if (_options.TrustedCertificates.Count > 0)
            handler.SslOptions.RemoteCertificateValidationCallback = ValidateWithTrustedCertificates;
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("berth", typeof(RegistryClient).Assembly.GetName().Version?.ToString() ?? "0"));
    }

    /// <summary>Pulls <paramref name="reference"/> into the store and names it <paramref name="name"/> (by default the normalized reference).</summary>
    /// <exception cref="RegistryException">The registry is unreachable, refuses, or has no such image.</exception>
    /// <exception cref="ImageFormatException">What it sent is not a valid image or does not match its digest.</exception>
    public async Task<StoredImage> PullAsync(
        ImageStore store, ImageReference reference, string? name = null, IProgress<ImageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(reference);
        var what = $"The image {reference}";
        using var use = await store.UseAsync(cancellationToken).ConfigureAwait(false);   // its blobs are named only at the end: no prune before
        var (top, topBytes) = await GetManifestAsync(reference, reference.ManifestReference, reference.Digest, cancellationToken).ConfigureAwait(false);

        async Task<byte[]> Read(OciDescriptor descriptor, CancellationToken token)
        {
            var digest = descriptor.ParsedDigest;
            if (store.HasBlob(digest))
                return store.ReadBlob(digest);

            // Checked against the digest as it arrived (GetManifestAsync) and again as it is stored: no need to read it back.
            var bytes = descriptor.Digest == top.Digest ? topBytes
                : (await GetManifestAsync(reference, descriptor.Digest, digest, token).ConfigureAwait(false)).Bytes;
            await store.PutBlobAsync(new MemoryStream(bytes), digest, token).ConfigureAwait(false);
            return bytes;
        }

        var manifestDescriptor = await ManifestResolver.ResolveAsync(top, _options.Platform, Read, what, cancellationToken).ConfigureAwait(false);
        var manifestDigest = manifestDescriptor.ParsedDigest;
        var manifest = ManifestResolver.Deserialize(
            await Read(manifestDescriptor, cancellationToken).ConfigureAwait(false), ImageJsonContext.Default.OciManifest, $"The manifest {manifestDigest}");
        foreach (var blob in (OciDescriptor[])[manifest.Config, .. manifest.Layers])
        {
            await FetchBlobAsync(store, reference, blob, progress, resume: true, cancellationToken).ConfigureAwait(false);
        }

        return store.Commit(name ?? reference.ToString(), manifestDigest, progress: progress);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Reads a response body of at most <paramref name="limit"/> bytes.</summary>
    internal static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, int limit, string what, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > limit)
            throw new ImageFormatException($"{what} sent {response.Content.Headers.ContentLength} bytes where at most {limit} are expected.");
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
                throw new ImageFormatException($"{what} sent more than the {limit} bytes expected.");
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private async Task<(OciDescriptor Descriptor, byte[] Bytes)> GetManifestAsync(ImageReference reference, string manifestReference, Digest? expected, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(reference, $"manifests/{manifestReference}", request =>
        {
            foreach (var type in s_manifestTypes)
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
            throw await FailureAsync(reference, response, $"the manifest {manifestReference}", cancellationToken).ConfigureAwait(false);
        var bytes = await ReadLimitedAsync(response, MaxManifestBytes, $"The registry {reference.Registry} (manifest of {reference})", cancellationToken).ConfigureAwait(false);
        var digest = Digest.Of(bytes);
        if (expected is { } wanted && wanted != digest)
            throw new ImageFormatException($"The registry {reference.Registry} sent a manifest for {wanted} of {reference} whose digest is {digest}: corrupted or not what was asked for; it was not stored.");
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        return (new OciDescriptor
        {
            MediaType = MediaTypes.IsManifest(mediaType) || MediaTypes.IsIndex(mediaType) ? mediaType : null,
            Digest = digest.ToString(),
            Size = bytes.Length,
        }, bytes);
    }

    /// <summary>Downloads a blob the store lacks into <c>tmp/download-HEX</c>, continuing a partial one, then moves it in after checking its digest.</summary>
    private async Task FetchBlobAsync(ImageStore store, ImageReference reference, OciDescriptor blob, IProgress<ImageProgress>? progress, bool resume, CancellationToken cancellationToken)
    {
        var digest = blob.ParsedDigest;
        if (store.HasBlob(digest))
        {
            progress?.Report(new ImageProgress(ImageProgressStage.Done, digest, blob.Size, blob.Size));
            return;
        }

        var partial = Path.Combine(store.TemporaryDirectory, "download-" + digest.Hex);
        Directory.CreateDirectory(store.TemporaryDirectory);
        FileStream file;
        try
        {
            file = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true);
        }
        catch (IOException)
        {
            // Another pull has this blob's partial download open: download a copy of our own; the store keeps one.
            partial = store.NewTemporaryPath("download");
            file = new FileStream(partial, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true);
        }

        long offset;
        await using (file)
        {
            offset = resume && (blob.Size <= 0 || file.Length < blob.Size) ? file.Length : 0;
            using var response = await SendAsync(reference, $"blobs/{digest}", request =>
            {
                if (offset > 0)
                    request.Headers.Range = new RangeHeaderValue(offset, null);
            }, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == offset)
            {
                file.Seek(offset, SeekOrigin.Begin);
            }
            else if (response.StatusCode == HttpStatusCode.OK)
            {
                offset = 0;
            }
            else if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable || response.StatusCode == HttpStatusCode.PartialContent)
            {
                file.SetLength(0);
                await file.DisposeAsync().ConfigureAwait(false);
                await FetchBlobAsync(store, reference, blob, progress, resume: false, cancellationToken).ConfigureAwait(false);
                return;
            }
            else
            {
                throw await FailureAsync(reference, response, $"the blob {digest}", cancellationToken).ConfigureAwait(false);
            }

            file.SetLength(offset);
            long? total = blob.Size > 0 ? blob.Size : null;
            progress?.Report(new ImageProgress(ImageProgressStage.Download, digest, offset, total));
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[1 << 16];
            var completed = offset;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                completed += read;
                if (total is { } size && completed > size)
                {
                    file.SetLength(0);
                    throw new ImageFormatException($"The registry {reference.Registry} sent more than the {size} bytes of the blob {digest} of {reference}; it was not stored.");
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                progress?.Report(new ImageProgress(ImageProgressStage.Download, digest, completed, total));
            }
        }

        try
        {
            store.CommitBlobFile(partial, digest);
        }
        catch (ImageFormatException) when (offset > 0)
        {
            // The part kept from before was not the start of this blob: the mismatching file is gone, download it whole.
            await FetchBlobAsync(store, reference, blob, progress, resume: false, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (ImageFormatException e)
        {
            throw new ImageFormatException($"{e.Message} (the blob of {reference} from the registry {reference.Registry})", e);
        }

        progress?.Report(new ImageProgress(ImageProgressStage.Done, digest, blob.Size, blob.Size));
    }

    /// <summary>Sends a GET for <c>/v2/REPOSITORY/PATH</c>, answering a <c>401</c> challenge once.</summary>
    private async Task<HttpResponseMessage> SendAsync(ImageReference reference, string path, Action<HttpRequestMessage> prepare, CancellationToken cancellationToken)
    {
        var endpoint = await EndpointAsync(reference, cancellationToken).ConfigureAwait(false);
        var uri = new Uri(endpoint, $"/v2/{reference.Repository}/{path}");
        var key = $"{reference.Registry}/{reference.Repository}";
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            prepare(request);
            lock (_authorizations)
                request.Headers.Authorization = _authorizations.GetValueOrDefault(key);
            var response = await SendRequestAsync(reference, endpoint, request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized || attempt > 0)
                return response;
            using (response)
            {
                var credentials = _options.Credentials.GetValueOrDefault(reference.Registry) ?? _options.AuthFiles?.Find(reference);
                var fix = credentials is null ? _options.AuthFiles?.MissingCredentialsFix(reference) : null;
                var authorization = await Wrap(
                    reference, endpoint, () => RegistryAuthenticator.AuthorizeAsync(_http, response, reference, credentials, fix, cancellationToken)).ConfigureAwait(false);
                lock (_authorizations)
                    _authorizations[key] = authorization;
            }
        }
    }

    private async Task<HttpResponseMessage> SendRequestAsync(ImageReference reference, Uri endpoint, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            return await Wrap(reference, endpoint, () => _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token)).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException($"The registry {reference.Registry} ({endpoint}) did not answer within {_options.RequestTimeout.TotalSeconds:0} s while pulling {reference}; check it is up and reachable.", innerException: e);
        }
    }

    /// <summary>The registry's base URI: HTTPS, or for a registry on this machine HTTP when HTTPS does not answer; found once by <c>GET /v2/</c>.</summary>
    private async Task<Uri> EndpointAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        lock (_endpoints)
        {
            if (_endpoints.TryGetValue(reference.Registry, out var known))
                return known;
        }

        var endpoint = new Uri($"https://{reference.ApiHost}/");
        if (reference.IsLoopback && !await SpeaksTlsAsync(endpoint, cancellationToken).ConfigureAwait(false))
            endpoint = new Uri($"http://{reference.ApiHost}/");
        lock (_endpoints)
            _endpoints[reference.Registry] = endpoint;
        return endpoint;
    }

    /// <summary>
    /// Whether the server at <paramref name="endpoint"/> answers a TLS handshake with a certificate (trusted or not:
    /// an untrusted one must fail the pull as such, not send it to plain HTTP). Unreachable counts as TLS, so the
    /// error is reported for HTTPS.
    /// </summary>
    private async Task<bool> SpeaksTlsAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var presented = false;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        using var tcp = new System.Net.Sockets.TcpClient();
        try
        {
            await tcp.ConnectAsync(endpoint.DnsSafeHost, endpoint.Port, timeout.Token).ConfigureAwait(false);
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
            {
                presented = certificate is not null;
                return true;   // only probing: the requests themselves validate
            });
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = endpoint.DnsSafeHost }, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
            return presented;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return true;
        }
    }

    private static async Task<T> Wrap<T>(ImageReference reference, Uri endpoint, Func<Task<T>> send)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            var fix = e.HttpRequestError == HttpRequestError.SecureConnectionError
                ? "its TLS certificate is not trusted or not for this name: trust its CA (RegistryClientOptions.TrustedCertificates) or fix its certificate"
                : "check the registry name, that it is up, and the network";
            throw new RegistryException($"The registry {reference.Registry} ({endpoint}) cannot be reached to pull {reference}: {e.Message}; {fix}.", e.StatusCode, e);
        }
    }

    private static async Task<RegistryException> FailureAsync(ImageReference reference, HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        string detail = "";
        try
        {
            var body = await ReadLimitedAsync(response, 64 << 10, "", cancellationToken).ConfigureAwait(false);
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                detail = string.Join("; ", errors.EnumerateArray().Select(e =>
                    $"{(e.TryGetProperty("code", out var c) ? c.GetString() : null)} {(e.TryGetProperty("message", out var m) ? m.GetString() : null)}".Trim()));
            }
        }
        catch (Exception e) when (e is JsonException or ImageFormatException or InvalidOperationException or IOException)
        {
            // The body is not the registry's JSON error: the status says enough.
        }

        var status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}{(detail.Length > 0 ? ": " + detail : "")}";
        var fix = response.StatusCode switch
        {
            HttpStatusCode.NotFound => "check the repository name and the tag or digest (the registry does not have it)",
            HttpStatusCode.Unauthorized => "the registry refused the credentials or token: check the credentials given for it",
            HttpStatusCode.Forbidden => "the credentials do not allow pulling this repository",
            HttpStatusCode.TooManyRequests => "the registry limits pulls: wait, or authenticate to get a higher limit",
            _ => "try again later, or check the registry",
        };
        return new RegistryException($"The registry {reference.Registry} refused {what} of {reference} ({status}); {fix}.", response.StatusCode);
    }

    private bool ValidateWithTrustedCertificates(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
            return true;
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
            return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_options.TrustedCertificates);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }
}
