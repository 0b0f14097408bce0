namespace Berth.Host.Export;

/// <summary>
/// A stack exported to another engine: the files to write, what could not be expressed, and what a person must do
/// before the files work (create the secrets, build the images), the same text the files' own notes hold.
/// </summary>
public sealed record StackExport(IReadOnlyList<ExportedFile> Files, IReadOnlyList<ExportWarning> Warnings, string Instructions)
{
    /// <summary>The file at <paramref name="path"/> (relative to the output directory).</summary>
    /// <exception cref="KeyNotFoundException">The export has no such file.</exception>
    public ExportedFile File(string path) =>
        Files.FirstOrDefault(f => f.Path == path) ?? throw new KeyNotFoundException($"The export has no file '{path}'.");
}
