namespace Berth.Host.Export;

/// <summary>A file an export writes: its path relative to the export's output directory, and its text.</summary>
public sealed record ExportedFile(string Path, string Content);
