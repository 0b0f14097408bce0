using System.Net.Http.Headers;

namespace Berth.Runtime.Tests.Images;

/// <summary>Pushes blobs and manifests to a plain-HTTP test registry through the distribution API (for what skopeo cannot make: hand-made indexes).</summary>
internal sealed class RegistryPusher(DockerRegistry registry, string repository) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://{registry.Host}/") };

    public async Task<string> PushBlobAsync(byte[] blob)
    {
        var digest = OciLayoutWriter.Sha256(blob);
        using var start = await _http.PostAsync($"v2/{repository}/blobs/uploads/", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, start.StatusCode);
        var location = new Uri(_http.BaseAddress!, start.Headers.Location!);
        var put = new UriBuilder(location) { Query = location.Query.TrimStart('?') + "&digest=" + Uri.EscapeDataString(digest) }.Uri;
        using var content = new ByteArrayContent(blob);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var done = await _http.PutAsync(put, content);
        Assert.True(done.IsSuccessStatusCode, $"pushing {digest}: {done.StatusCode} {await done.Content.ReadAsStringAsync()}");
        return digest;
    }

    public async Task<string> PushManifestAsync(string reference, byte[] manifest, string mediaType)
    {
        using var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var done = await _http.PutAsync($"v2/{repository}/manifests/{reference}", content);
        Assert.True(done.IsSuccessStatusCode, $"pushing the manifest {reference}: {done.StatusCode} {await done.Content.ReadAsStringAsync()}");
        return OciLayoutWriter.Sha256(manifest);
    }

    public void Dispose() => _http.Dispose();
}
