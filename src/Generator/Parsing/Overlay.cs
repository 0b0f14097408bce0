using Berth.Generator.Toml;

namespace Berth.Generator.Parsing;

/// <summary>
/// Merges an environment's overlay onto the base: tables merge deeply, anything else (arrays included) replaces.
/// Keys that are alternatives of each other (a service's project/image, a health check's kind, a secret's
/// source) replace each other: an overlay that sets one drops the base's others. A service's <c>config</c>
/// merges by .NET configuration key (see <see cref="ConfigKeys"/>), the way layered configuration does.
/// </summary>
internal static class Overlay
{
    public static TomlTableNode Merge(TomlTableNode baseTable, TomlTableNode overlay, string path = "")
    {
        var result = new TomlTableNode(baseTable.Location);
        foreach (var entry in baseTable.Entries)
        {
            result.Set(entry);
        }

        foreach (var group in AlternativesAt(path))
        {
            if (System.Array.Exists(group, key => overlay.Find(key) is not null))
            {
                foreach (var key in group)
                {
                    result.Remove(key);
                }
            }
        }

        foreach (var entry in overlay.Entries)
        {
            var existing = result.Find(entry.Key);
            if (existing?.Value is TomlTableNode baseChild && entry.Value is TomlTableNode overlayChild)
            {
                var childPath = path.Length == 0 ? entry.Key : $"{path}.{entry.Key}";
                var merged = IsServiceConfig(childPath) ? ConfigKeys.Merge(baseChild, overlayChild) : Merge(baseChild, overlayChild, childPath);
                result.Set(new TomlEntry(entry.Key, existing.KeyLocation, merged));
            }
            else
            {
                result.Set(entry);
            }
        }

        return result;
    }

    private static bool IsServiceConfig(string path)
    {
        var parts = path.Split('.');
        return parts.Length == 3 && parts[0] == "services" && parts[2] == "config";
    }

    private static string[][] AlternativesAt(string path)
    {
        var parts = path.Split('.');
        return parts switch
        {
            { Length: 2 } when parts[0] == "services" => new[] { new[] { "project", "image" } },
            { Length: 3 } when parts[0] == "services" && parts[2] == "health" => new[] { new[] { "http", "tcp", "command" } },
            { Length: 2 } when parts[0] == "secrets" => new[] { new[] { "file", "env", "user_secret" } },
            _ => System.Array.Empty<string[]>(),
        };
    }
}
