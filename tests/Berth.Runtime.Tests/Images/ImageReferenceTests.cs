using Berth.Runtime.Images;

namespace Berth.Runtime.Tests.Images;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("redis", "docker.io/library/redis:latest", "registry-1.docker.io")]
    [InlineData("redis:7", "docker.io/library/redis:7", "registry-1.docker.io")]
    [InlineData("me/app:1.2", "docker.io/me/app:1.2", "registry-1.docker.io")]
    [InlineData("index.docker.io/library/redis", "docker.io/library/redis:latest", "registry-1.docker.io")]
    [InlineData("ghcr.io/org/team/app:v1", "ghcr.io/org/team/app:v1", "ghcr.io")]
    [InlineData("localhost/app", "localhost/app:latest", "localhost")]
    [InlineData("127.0.0.1:5000/a/b_c:x", "127.0.0.1:5000/a/b_c:x", "127.0.0.1:5000")]
    [InlineData("[::1]:5000/app:1", "[::1]:5000/app:1", "[::1]:5000")]
    public void ReferencesNormalizeAsDockerDoes(string text, string normalized, string apiHost)
    {
        var reference = ImageReference.Parse(text);

        Assert.Equal(normalized, reference.ToString());
        Assert.Equal(apiHost, reference.ApiHost);
    }

    [Fact]
    public void ADigestIsWhatIsPulledAndOnlyLoopbackRegistriesAreLoopback()
    {
        var digest = "sha256:" + new string('a', 64);
        var reference = ImageReference.Parse($"localhost:5000/app:1@{digest}");

        Assert.Equal(digest, reference.ManifestReference);
        Assert.Equal("1", reference.Tag);
        Assert.Equal($"localhost:5000/app:1@{digest}", reference.ToString());
        Assert.True(reference.IsLoopback);
        Assert.True(ImageReference.Parse("[::1]:5000/app").IsLoopback);
        Assert.False(ImageReference.Parse("registry.example:5000/app").IsLoopback);
        Assert.False(ImageReference.Parse("127.0.0.1.example/app").IsLoopback);
        Assert.Null(ImageReference.Parse($"redis@{digest}").Tag);
    }

    [Theory]
    [InlineData("Redis", "must be lowercase")]
    [InlineData("redis:", "the tag \"\"")]
    [InlineData("redis@sha256:abc", "not a sha256: digest")]
    [InlineData("a//b", "must be lowercase")]
    [InlineData("host:port:1/app", "is not a registry host[:port]")]
    [InlineData("[:::1]:5000/app", "is not a registry host[:port]")]
    [InlineData("[1::2::3]:5000/app", "is not a registry host[:port]")]
    [InlineData("[::1:5000/app", "is not a registry host[:port]")]
    public void AMalformedReferenceSaysWhatIsWrong(string text, string message)
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageReference.Parse(text));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
