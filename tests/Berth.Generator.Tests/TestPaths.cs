namespace Berth.Generator.Tests;

/// <summary>Finds files of the repository the tests run from.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string TestProjectDirectory => Path.Combine(RepoRoot, "tests", "Berth.Generator.Tests");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Berth.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Berth.slnx not found above {AppContext.BaseDirectory}.");
    }
}
