namespace Berth.Export.Tests;

/// <summary>The exports of the reference stack and of the example shop in prod, file by file, against the reviewed copies under Golden/.</summary>
public sealed class GoldenExportTests
{
    [Theory]
    [InlineData("reference")]
    [InlineData("shop")]
    public void KubernetesManifestsMatchTheGoldenFiles(string stack)
    {
        var exported = ExportedStack.Named(stack);

        GoldenFiles.AssertMatch($"{exported.Name}-prod-kubernetes", exported.Kubernetes);
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("shop")]
    public void ComposeFileMatchesTheGoldenFiles(string stack)
    {
        var exported = ExportedStack.Named(stack);

        GoldenFiles.AssertMatch($"{exported.Name}-prod-compose", exported.Compose);
    }
}
