using System.Reflection;

namespace Shop.Tests;

/// <summary>Where the example and the repository are, as the build saw them.</summary>
internal static class ShopPaths
{
    public static string ShopDirectory { get; } = Path.GetFullPath(Metadata("ShopDirectory"));

    public static string RepoRoot { get; } = Path.GetFullPath(Metadata("RepoRoot"));

    /// <summary>The development key of the dev and test environments (the file secret checked in with the example).</summary>
    public static string PaymentsApiKey => File.ReadAllText(Path.Combine(ShopDirectory, "secrets", "payments_api_key.txt")).Trim();

    private static string Metadata(string key) =>
        typeof(ShopPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
