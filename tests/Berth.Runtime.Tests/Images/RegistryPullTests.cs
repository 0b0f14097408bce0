using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

/// <summary>
/// Pulls from a real registry (Debian's docker-registry on loopback) images pushed by skopeo or by hand: run the
/// pulled image, a multi-platform index, re-pulls and resumed downloads, a corrupted blob, bearer-token auth.
/// </summary>
public sealed class RegistryPullTests : IDisposable
{
    private readonly ImageScratch _images = new("berth-pull-");

    public void Dispose() => _images.Dispose();

    [RequiresToolFact("docker-registry", "docker-registry")]
    public async Task AnImagePushedBySkopeoIsPulledByTagAndByDigestAndRuns()
    {
        using var registry = new DockerRegistry(Path.Combine(_images.Directory, "registry"));
        PushBusybox(registry, "berth/bb:1");
        using var client = new RegistryClient();
        var progress = new RecordedProgress();

        var image = await client.PullAsync(_images.Store, ImageReference.Parse($"{registry.Host}/berth/bb:1"), progress: progress);
        var byDigest = await client.PullAsync(_images.Store, ImageReference.Parse($"{registry.Host}/berth/bb@{image.ManifestDigest}"));

        Assert.Equal($"{registry.Host}/berth/bb:1", image.Name);
        Assert.Equal(image.ManifestDigest, byDigest.ManifestDigest);
        Assert.Equal(["/bin/sh", "-c"], image.RunConfig.Entrypoint);
        Assert.Contains(progress.Reports, r => r.Stage == ImageProgressStage.Download && r.Completed > 0);
        Assert.Contains(progress.Reports, r => r.Stage == ImageProgressStage.Unpack);
        var (exit, output) = await _images.RunShellAsync(image, "cat /etc/os-release");
        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("NAME=busybox\n", output);
    }

    [RequiresToolFact("docker-registry", "docker-registry")]
    public async Task ARePullDownloadsNothingAndAPartialDownloadContinuesWithARangeRequest()
    {
        using var registry = new DockerRegistry(Path.Combine(_images.Directory, "registry"));
        var layerDigest = PushBusybox(registry, "berth/bb:1");
        var layer = await File.ReadAllBytesAsync(registry.BlobDataPath(layerDigest));
        var partial = Path.Combine(_images.Store.Directory, "tmp", "download-" + layerDigest["sha256:".Length..]);
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        await File.WriteAllBytesAsync(partial, layer[..(layer.Length / 2)]);
        using var client = new RegistryClient();
        var first = new RecordedProgress();
        var again = new RecordedProgress();

        await client.PullAsync(_images.Store, ImageReference.Parse($"{registry.Host}/berth/bb:1"), progress: first);
        await client.PullAsync(_images.Store, ImageReference.Parse($"{registry.Host}/berth/bb:1"), progress: again);

        var layerDownload = first.Reports.First(r => r.Stage == ImageProgressStage.Download && r.Blob.ToString() == layerDigest);
        Assert.Equal(layer.Length / 2, layerDownload.Completed);   // resumed where the partial file ends
        Assert.Equal(layer.Length, layerDownload.Total);
        Assert.False(File.Exists(partial));
        Assert.True(_images.Store.HasBlob(Digest.Parse(layerDigest)));
        Assert.DoesNotContain(again.Reports, r => r.Stage is ImageProgressStage.Download or ImageProgressStage.Unpack);
        Assert.Contains(again.Reports, r => r.Stage == ImageProgressStage.Done && r.Blob.ToString() == layerDigest);
    }

    [RequiresToolFact("docker-registry", "docker-registry")]
    public async Task AMultiPlatformIndexResolvesToThisMachinesManifest()
    {
        using var registry = new DockerRegistry(Path.Combine(_images.Directory, "registry"));
        using var pusher = new RegistryPusher(registry, "berth/multi");
        var layer = TestImages.BusyboxLayer;
        var layerDescriptor = new OciDescriptor { MediaType = MediaTypes.OciLayer, Digest = await pusher.PushBlobAsync(layer), Size = layer.Length };
        var other = OciPlatform.Current.Architecture == "amd64" ? "arm64" : "amd64";
        var manifests = new List<OciDescriptor>();
        foreach (var architecture in new[] { other, "s390x", OciPlatform.Current.Architecture })
        {
            var config = JsonSerializer.SerializeToUtf8Bytes(new OciImageConfig
            {
                Architecture = architecture,
                Os = "linux",
                Config = new OciRunConfig { Cmd = [$"built for {architecture}"] },
                Rootfs = new OciRootfs { DiffIds = [OciLayoutWriter.Sha256(layer)] },
            });
            var manifest = JsonSerializer.SerializeToUtf8Bytes(new OciManifest
            {
                MediaType = MediaTypes.OciManifest,
                Config = new OciDescriptor { MediaType = MediaTypes.OciConfig, Digest = await pusher.PushBlobAsync(config), Size = config.Length },
                Layers = [layerDescriptor],
            });
            manifests.Add(new OciDescriptor
            {
                MediaType = MediaTypes.OciManifest,
                Digest = await pusher.PushManifestAsync(OciLayoutWriter.Sha256(manifest), manifest, MediaTypes.OciManifest),
                Size = manifest.Length,
                Platform = new OciPlatform { Os = "linux", Architecture = architecture },
            });
        }

        var index = JsonSerializer.SerializeToUtf8Bytes(new OciIndex { MediaType = MediaTypes.OciIndex, Manifests = manifests });
        await pusher.PushManifestAsync("2", index, MediaTypes.OciIndex);
        using var client = new RegistryClient();

        var image = await client.PullAsync(_images.Store, ImageReference.Parse($"{registry.Host}/berth/multi:2"));
        using var s390x = new RegistryClient(new RegistryClientOptions { Platform = new OciPlatform { Os = "linux", Architecture = "s390x" } });
        var forS390x = await s390x.PullAsync(_images.Store, ImageReference.Parse($"{registry.Host}/berth/multi:2"), "s390x");
        using var riscv = new RegistryClient(new RegistryClientOptions { Platform = new OciPlatform { Os = "linux", Architecture = "riscv64" } });
        var missing = await Assert.ThrowsAsync<ImageFormatException>(() => riscv.PullAsync(_images.Store, ImageReference.Parse($"{registry.Host}/berth/multi:2"), "riscv"));

        Assert.Equal(manifests[2].Digest, image.ManifestDigest.ToString());
        Assert.Equal([$"built for {OciPlatform.Current.Architecture}"], image.RunConfig.Cmd);
        Assert.Equal(manifests[1].Digest, forS390x.ManifestDigest.ToString());
        Assert.Contains("has no image for linux/riscv64", missing.Message, StringComparison.Ordinal);
    }

    [RequiresToolFact("docker-registry", "docker-registry")]
    public async Task ACorruptedBlobIsRefusedAndNothingOfItIsKept()
    {
        using var registry = new DockerRegistry(Path.Combine(_images.Directory, "registry"));
        var layerDigest = PushBusybox(registry, "berth/bb:1");
        var data = registry.BlobDataPath(layerDigest);
        var bytes = await File.ReadAllBytesAsync(data);
        bytes[bytes.Length / 2] ^= 0xff;
        await File.WriteAllBytesAsync(data, bytes);
        using var client = new RegistryClient();

        var error = await Assert.ThrowsAsync<ImageFormatException>(() => client.PullAsync(_images.Store, ImageReference.Parse($"{registry.Host}/berth/bb:1")));

        Assert.Contains($"said to be {layerDigest}", error.Message, StringComparison.Ordinal);
        Assert.Contains(registry.Host, error.Message, StringComparison.Ordinal);
        Assert.False(_images.Store.HasBlob(Digest.Parse(layerDigest)));
        Assert.Empty(_images.Store.List());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_images.Store.Directory, "tmp"), "download-*"));
    }

    [RequiresToolFact("docker-registry", "docker-registry")]
    public async Task AMissingImageNamesTheRegistryTheStatusAndTheFix()
    {
        using var registry = new DockerRegistry(Path.Combine(_images.Directory, "registry"));
        using var client = new RegistryClient();

        var error = await Assert.ThrowsAsync<RegistryException>(() => client.PullAsync(_images.Store, ImageReference.Parse($"{registry.Host}/berth/none:1")));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.Status);
        Assert.Contains($"The registry {registry.Host} refused the manifest 1 of {registry.Host}/berth/none:1 (HTTP 404", error.Message, StringComparison.Ordinal);
        Assert.Contains("check the repository name and the tag", error.Message, StringComparison.Ordinal);
    }

    [RequiresToolFact("docker-registry", "docker-registry")]
    public async Task ARegistryWithTokenAuthIsPulledFromWithCredentialsAndRefusesWithout()
    {
        var storage = Path.Combine(_images.Directory, "registry");
        using (var open = new DockerRegistry(storage))
            PushBusybox(open, "berth/private:1");
        using var tokens = new RegistryTokenServer(_images.Directory, "puller", "s3cret");
        using var registry = new DockerRegistry(storage, tokens.RegistryConfig);
        var reference = ImageReference.Parse($"{registry.Host}/berth/private:1");
        using var anonymous = new RegistryClient();
        var options = new RegistryClientOptions();
        options.Credentials[registry.Host] = new RegistryCredentials("puller", "s3cret");
        using var authenticated = new RegistryClient(options);

        var refused = await Assert.ThrowsAsync<RegistryException>(() => anonymous.PullAsync(_images.Store, reference));
        var image = await authenticated.PullAsync(_images.Store, reference);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.Status);
        Assert.Contains($"refused a token to pull {reference}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("give the registry's credentials", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["/bin/sh", "-c"], image.RunConfig.Entrypoint);
        Assert.Equal(2, tokens.Requests);   // one refused; one token for the whole pull
    }

    [RequiresToolFact("docker-registry", "docker-registry")]
    public async Task ARegistryWithBasicAuthIsPulledFromWithLoginFileCredentialsAndRefusesWithoutNamingTheFix()
    {
        var storage = Path.Combine(_images.Directory, "registry");
        using (var open = new DockerRegistry(storage))
            PushBusybox(open, "berth/basic:1");
        using var registry = new DockerRegistry(storage, RegistryLogin.HtpasswdConfig(_images.Directory));
        var reference = ImageReference.Parse($"{registry.Host}/berth/basic:1");
        var authFile = Path.Combine(_images.Directory, "run", "containers", "auth.json");
        var wrongFile = RegistryLogin.WriteAuthFile(Path.Combine(_images.Directory, "wrong.json"), new Dictionary<string, (string, string)> { [registry.Host] = (RegistryLogin.UserName, "wrong-password-do-not-print") });
        var files = RegistryAuthFiles.FromEnvironment(name => name switch { "XDG_RUNTIME_DIR" => Path.Combine(_images.Directory, "run"), "HOME" => _images.Directory, _ => null });
        using var client = new RegistryClient(new RegistryClientOptions { AuthFiles = files });
        using var wrong = new RegistryClient(new RegistryClientOptions { AuthFiles = new RegistryAuthFiles([wrongFile]) });

        var notLoggedIn = await Assert.ThrowsAsync<RegistryException>(() => client.PullAsync(_images.Store, reference));
        var refused = await Assert.ThrowsAsync<RegistryException>(() => wrong.PullAsync(_images.Store, reference));
        RegistryLogin.WriteAuthFile(authFile, new Dictionary<string, (string, string)> { [registry.Host] = (RegistryLogin.UserName, RegistryLogin.Password) });
        var image = await client.PullAsync(_images.Store, reference);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, notLoggedIn.Status);
        Assert.Contains($"The registry {registry.Host} asks for a user name and password to pull {reference} (HTTP 401, basic auth); log in with `podman login {registry.Host}`", notLoggedIn.Message, StringComparison.Ordinal);
        Assert.Contains($"Berth reads {authFile}, ", notLoggedIn.Message, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.Status);
        Assert.DoesNotContain("wrong-password", refused.ToString(), StringComparison.Ordinal);
        Assert.Equal(["/bin/sh", "-c"], image.RunConfig.Entrypoint);
        var (exit, output) = await _images.RunShellAsync(image, "cat /etc/os-release");
        Assert.Equal((0, "NAME=busybox\n"), (exit.ExitCode, output));
    }

    [RequiresToolFact("docker-registry", "docker-registry")]
    public async Task ARegistryWithTokenAuthGetsItsTokenWithLoginFileCredentials()
    {
        var storage = Path.Combine(_images.Directory, "registry");
        using (var open = new DockerRegistry(storage))
            PushBusybox(open, "berth/private:1");
        using var tokens = new RegistryTokenServer(_images.Directory, RegistryLogin.UserName, RegistryLogin.Password);
        using var registry = new DockerRegistry(storage, tokens.RegistryConfig);
        var reference = ImageReference.Parse($"{registry.Host}/berth/private:1");
        var dockerConfig = RegistryLogin.WriteAuthFile(
            Path.Combine(_images.Directory, "home", ".docker", "config.json"),
            new Dictionary<string, (string, string)> { [$"http://{registry.Host}/v2/"] = (RegistryLogin.UserName, RegistryLogin.Password) });
        var wrongFile = RegistryLogin.WriteAuthFile(Path.Combine(_images.Directory, "wrong.json"), new Dictionary<string, (string, string)> { [$"{registry.Host}/berth"] = ("someone", "wrong-password-do-not-print") });
        var files = RegistryAuthFiles.FromEnvironment(name => name == "HOME" ? Path.Combine(_images.Directory, "home") : null);
        using var client = new RegistryClient(new RegistryClientOptions { AuthFiles = files });
        using var wrong = new RegistryClient(new RegistryClientOptions { AuthFiles = new RegistryAuthFiles([wrongFile, dockerConfig]) });

        var refused = await Assert.ThrowsAsync<RegistryException>(() => wrong.PullAsync(_images.Store, reference));
        var image = await client.PullAsync(_images.Store, reference);

        Assert.Contains($"refused a token to pull {reference}", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"check the credentials of someone from {wrongFile}", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", refused.ToString(), StringComparison.Ordinal);
        Assert.Equal(["/bin/sh", "-c"], image.RunConfig.Entrypoint);
        Assert.Equal(2, tokens.Requests);   // the wrong one refused; one token for the whole pull
    }

    [RequiresToolFact("docker-registry", "docker-registry")]
    public async Task AnHttpsRegistryWithAPrivateCertificateIsPulledFromWhenTrustedAndRefusedOtherwise()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificateFile = Path.Combine(_images.Directory, "registry.pem");
        var keyFile = Path.Combine(_images.Directory, "registry.key");
        await File.WriteAllTextAsync(certificateFile, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        using var registry = new DockerRegistry(Path.Combine(_images.Directory, "registry"), httpExtra: $"  tls:\n    certificate: {certificateFile}\n    key: {keyFile}");
        PushBusybox(registry, "berth/tls:1");
        var reference = ImageReference.Parse($"{registry.Host}/berth/tls:1");
        var options = new RegistryClientOptions();
        options.TrustedCertificates.Add(X509CertificateLoader.LoadCertificate(certificate.RawData));
        using var trusting = new RegistryClient(options);
        using var untrusting = new RegistryClient();

        var refused = await Assert.ThrowsAsync<RegistryException>(() => untrusting.PullAsync(_images.Store, reference));
        var image = await trusting.PullAsync(_images.Store, reference);

        Assert.Contains($"The registry {registry.Host} (https://{registry.Host}/) cannot be reached", refused.Message, StringComparison.Ordinal);
        Assert.Contains("TLS certificate is not trusted", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["/bin/sh", "-c"], image.RunConfig.Entrypoint);
    }

    /// <summary>Builds the busybox image with umoci and pushes it with skopeo; returns its layer's digest.</summary>
    private string PushBusybox(DockerRegistry registry, string nameAndTag)
    {
        var layout = Path.Combine(_images.Directory, "layout");
        if (!Directory.Exists(layout))
            TestImages.CreateWithUmoci(layout, _images.Directory, "--config.entrypoint=/bin/sh", "--config.entrypoint=-c", "--config.cmd=cat /etc/os-release");
        TestImages.Run(RequiredTool.Find("skopeo", "skopeo"), "copy", "--quiet", "--dest-tls-verify=false", $"oci:{layout}:bb", $"docker://{registry.Host}/{nameAndTag}");
        var index = JsonSerializer.Deserialize<OciIndex>(File.ReadAllBytes(Path.Combine(layout, "index.json")))!;
        var manifest = JsonSerializer.Deserialize<OciManifest>(File.ReadAllBytes(OciLayoutWriter.BlobPath(layout, index.Manifests[0].Digest)))!;
        return manifest.Layers[0].Digest;
    }

    private sealed class RecordedProgress : IProgress<ImageProgress>
    {
        private readonly List<ImageProgress> _reports = [];

        public IReadOnlyList<ImageProgress> Reports
        {
            get
            {
                lock (_reports)
                    return [.. _reports];
            }
        }

        public void Report(ImageProgress value)
        {
            lock (_reports)
                _reports.Add(value);
        }
    }
}
