using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Berth.Generator.Parsing;
using Berth.Generator.Toml;
using Microsoft.Build.Framework;

// This type runs in MSBuild, not in the compiler: file I/O is its job.
#pragma warning disable RS1035

namespace Berth.Generator.Build;

/// <summary>
/// MSBuild task run before compiling a stack project: lists which files that stack.toml refers to (service
/// projects, secret files, image directories) exist, so the generator can report missing ones without touching the disk itself.
/// Never fails the build: a broken stack.toml is the generator's to report.
/// </summary>
public sealed class ResolveStackFiles : Microsoft.Build.Utilities.Task
{
    /// <summary>The stack.toml to read.</summary>
    [Required]
    public string StackFile { get; set; } = string.Empty;

    /// <summary>Where to write the list (one absolute path a line); rewritten only when it changes.</summary>
    [Required]
    public string OutputFile { get; set; } = string.Empty;

    /// <summary>The service projects that exist, for building them with the stack.</summary>
    [Output]
    public ITaskItem[] ProjectFiles { get; set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        var existing = new List<string>();
        var projects = new List<ITaskItem>();
        try
        {
            var root = TomlTreeReader.Read(File.ReadAllText(StackFile), new List<(Model.SourceLocation, string)>());
            var directory = Path.GetDirectoryName(Path.GetFullPath(StackFile)) ?? string.Empty;
            foreach (var path in root is null ? Enumerable.Empty<string>() : ExistingFiles.ReferencedPaths(root))
            {
                if (ExistingFiles.Resolve(directory, path) is { } full && File.Exists(full) && !existing.Contains(full))
                {
                    existing.Add(full);
                }
            }

            foreach (var image in root is null ? Enumerable.Empty<string>() : ExistingFiles.ImageDirectoryCandidates(root))
            {
                if (ExistingFiles.Resolve(directory, image) is { } full && Directory.Exists(full) && !existing.Contains(full))
                {
                    existing.Add(full);
                }
            }

            foreach (var service in root is null ? Enumerable.Empty<string>() : ProjectPaths(root))
            {
                if (ExistingFiles.Resolve(directory, service) is { } full && File.Exists(full) && !projects.Any(p => p.ItemSpec == full))
                {
                    projects.Add(new Microsoft.Build.Utilities.TaskItem(full));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.LogMessage(MessageImportance.Low, $"Berth: could not read {StackFile}: {e.Message}");
        }

        ProjectFiles = projects.ToArray();
        WriteIfChanged(OutputFile, string.Concat(existing.OrderBy(p => p, StringComparer.Ordinal).Select(p => p + "\n")));
        return true;
    }

    private static IEnumerable<string> ProjectPaths(TomlTableNode root) =>
        ExistingFiles.ReferencedPaths(root).Where(p => p.EndsWith("proj", StringComparison.OrdinalIgnoreCase));

    private static void WriteIfChanged(string path, string content)
    {
        if (File.Exists(path) && File.ReadAllText(path) == content)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }
}
