using System.Collections.Generic;
using System.IO;
using System.Linq;
using Berth.Generator.Toml;

namespace Berth.Generator.Parsing;

/// <summary>
/// The generator does no file I/O. The build runs <c>ResolveStackFiles</c>, which finds the files stack.toml
/// refers to (service projects, secret files, image directories) and lists those that exist in an additional file;
/// this is that list.
/// </summary>
internal static class ExistingFiles
{
    /// <summary>The file name of the list the build task writes and hands to the compiler.</summary>
    public const string ListFileName = "berth.existing-files";

    /// <summary>The absolute, normalized path, or null when the text cannot be a path.</summary>
    public static string? Resolve(string directory, string relativeOrAbsolute)
    {
        try
        {
            return Path.GetFullPath(Path.Combine(directory, relativeOrAbsolute));
        }
        catch (System.Exception e) when (e is System.ArgumentException or System.NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }

    /// <summary>Every path written as a service <c>project</c> or secret <c>file</c>, in the base and in each environment.</summary>
    public static IEnumerable<string> ReferencedPaths(TomlTableNode root) =>
        InBaseAndEnvironments(root, new[] { ("services", "project"), ("secrets", "file") });

    /// <summary>
    /// Every service <c>image</c> that may name a directory (not <c>oci:</c>, <c>oci-archive:</c> or a URL), in the
    /// base and in each environment: the build lists those that exist as directories.
    /// </summary>
    public static IEnumerable<string> ImageDirectoryCandidates(TomlTableNode root) =>
        InBaseAndEnvironments(root, new[] { ("services", "image") }).Where(image => ImageSyntax.DirectoryPath(image) is not null);

    private static IEnumerable<string> InBaseAndEnvironments(TomlTableNode root, (string Section, string Key)[] keys)
    {
        foreach (var path in FromSections(root, keys))
        {
            yield return path;
        }

        if (root.Find("environments")?.Value is TomlTableNode environments)
        {
            foreach (var environment in environments.Entries)
            {
                if (environment.Value is TomlTableNode overlay)
                {
                    foreach (var path in FromSections(overlay, keys))
                    {
                        yield return path;
                    }
                }
            }
        }
    }

    private static IEnumerable<string> FromSections(TomlTableNode table, (string Section, string Key)[] keys)
    {
        foreach (var (section, key) in keys)
        {
            if (table.Find(section)?.Value is not TomlTableNode items)
            {
                continue;
            }

            foreach (var item in items.Entries)
            {
                if (item.Value is TomlTableNode itemTable
                    && itemTable.Find(key)?.Value is TomlScalarNode { Kind: TomlScalarKind.String, Value: string path }
                    && path.Length > 0
                    && path.IndexOf('\0') < 0)
                {
                    yield return path;
                }
            }
        }
    }
}
