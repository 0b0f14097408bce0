using System.Text.Json.Serialization;

namespace Berth.Runtime.Filesystem;

/// <summary>What a container's root is made of: plain data, prepared on the host, mounted by the init.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(DirectoryRootFilesystem), "directory")]
[JsonDerivedType(typeof(DotnetRootFilesystem), "dotnet")]
public abstract record RootFilesystem
{
    /// <summary>Throws <see cref="ArgumentException"/> when a path is not absolute or does not exist.</summary>
    public abstract void Validate();

    private protected static void RequireDirectory(string? path, string what)
    {
        if (string.IsNullOrEmpty(path) || !Path.IsPathRooted(path))
            throw new ArgumentException($"{what} must be an absolute path: \"{path}\".");
        if (!Directory.Exists(path))
            throw new ArgumentException($"{what} does not exist or is not a directory: \"{path}\".");
    }
}
