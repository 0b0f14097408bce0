using Berth.Generator.Tests;
using Berth.Host.Export;

namespace Berth.Export.Tests;

/// <summary>
/// Reviewed copies of exports under Golden/. After an intended change, write them again with
/// <c>BERTH_UPDATE_GOLDEN=1 dotnet test tests/Berth.Export.Tests</c> and review the diff.
/// </summary>
internal static class GoldenFiles
{
    public static string Directory(string name) => Path.Combine(TestPaths.RepoRoot, "tests", "Berth.Export.Tests", "Golden", name);

    public static void AssertMatch(string name, StackExport export)
    {
        var directory = Directory(name);
        if (Environment.GetEnvironmentVariable("BERTH_UPDATE_GOLDEN") == "1")
        {
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }

            System.IO.Directory.CreateDirectory(directory);
            foreach (var file in export.Files)
            {
                File.WriteAllText(Path.Combine(directory, file.Path), file.Content);
            }
        }

        Assert.True(System.IO.Directory.Exists(directory), $"No golden files in {directory}; write them with BERTH_UPDATE_GOLDEN=1.");
        Assert.Equal(
            System.IO.Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            export.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        foreach (var file in export.Files)
        {
            Assert.Equal(File.ReadAllText(Path.Combine(directory, file.Path)), file.Content);
        }
    }
}
