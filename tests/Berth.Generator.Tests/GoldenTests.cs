namespace Berth.Generator.Tests;

/// <summary>
/// The generated source of known stacks, compared with reviewed copies under Golden/. After an intended change,
/// regenerate with <c>BERTH_UPDATE_GOLDEN=1 dotnet test</c> and review the diff.
/// </summary>
public class GoldenTests
{
    /// <summary>Fixtures under Stacks/, and "reference": the repository's annotated stack.toml, which uses every key.</summary>
    public static TheoryData<string> Stacks => ["minimal", "shop", "reference"];

    [Theory]
    [MemberData(nameof(Stacks))]
    public void GeneratedSourceMatchesGoldenFile(string name)
    {
        var toml = File.ReadAllText(name == "reference"
            ? Path.Combine(TestPaths.RepoRoot, "stack.toml")
            : Path.Combine(TestPaths.TestProjectDirectory, "Stacks", name, "stack.toml"));

        // A fixed path keeps the emitted SourceDirectory the same on every machine.
        var outcome = GeneratorHarness.Run(toml, path: $"/stacks/{name}/stack.toml");

        Assert.Null(outcome.Exception);
        Assert.Empty(outcome.Diagnostics);
        Assert.Empty(outcome.CompilationProblems);
        var generated = Assert.Single(outcome.Sources).SourceText.ToString();
        var goldenPath = Path.Combine(TestPaths.TestProjectDirectory, "Golden", $"{name}.g.cs");
        if (Environment.GetEnvironmentVariable("BERTH_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(goldenPath, generated);
        }

        Assert.True(File.Exists(goldenPath), $"No golden file {goldenPath}; create it with BERTH_UPDATE_GOLDEN=1.");
        Assert.Equal(File.ReadAllText(goldenPath), generated);
    }
}
