namespace Berth.Export.Tests;

/// <summary>The exports of the reference stack in prod, file by file, against the reviewed copies under Golden/.</summary>
public sealed class GoldenExportTests(ReferenceExportFixture reference) : IClassFixture<ReferenceExportFixture>
{
    [Fact]
    public void KubernetesManifestsMatchTheGoldenFiles() => GoldenFiles.AssertMatch("reference-prod-kubernetes", reference.Kubernetes);

    [Fact]
    public void ComposeFileMatchesTheGoldenFiles() => GoldenFiles.AssertMatch("reference-prod-compose", reference.Compose);
}
