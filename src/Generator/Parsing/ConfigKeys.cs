using System;
using System.Collections.Generic;
using System.Globalization;
using Berth.Generator.Toml;

namespace Berth.Generator.Parsing;

/// <summary>
/// A service's <c>config</c> table as .NET configuration sees it: nested tables join with ':', arrays index
/// (<c>Catalog.Currencies = ["EUR"]</c> is <c>Catalog:Currencies:0</c>), keys compare without case.
/// </summary>
internal static class ConfigKeys
{
    /// <summary>Every leaf of the table under its .NET configuration key, in the order written.</summary>
    public static List<TomlEntry> Flatten(TomlTableNode table)
    {
        var leaves = new List<TomlEntry>();
        foreach (var entry in table.Entries)
        {
            Add(entry.Key, entry.KeyLocation, entry.Value);
        }

        return leaves;

        void Add(string key, Model.SourceLocation keyLocation, TomlNode node)
        {
            switch (node)
            {
                case TomlTableNode t:
                    foreach (var entry in t.Entries)
                    {
                        Add($"{key}:{entry.Key}", entry.KeyLocation, entry.Value);
                    }

                    break;
                case TomlArrayNode a:
                    for (var i = 0; i < a.Items.Count; i++)
                    {
                        Add($"{key}:{i.ToString(CultureInfo.InvariantCulture)}", a.Items[i].Location, a.Items[i]);
                    }

                    break;
                default:
                    leaves.Add(new TomlEntry(key, keyLocation, node));
                    break;
            }
        }
    }

    /// <summary>
    /// Merges by configuration key, as layered .NET configuration providers do: the overlay's value wins
    /// however either side spells the key (<c>Catalog.PageSize</c> or <c>"Catalog:PageSize"</c>).
    /// </summary>
    public static TomlTableNode Merge(TomlTableNode baseTable, TomlTableNode overlay)
    {
        var merged = new TomlTableNode(baseTable.Location);
        var keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var leaf in Flatten(baseTable))
        {
            Set(leaf);
        }

        foreach (var leaf in Flatten(overlay))
        {
            Set(leaf);
        }

        return merged;

        void Set(TomlEntry leaf)
        {
            if (keys.TryGetValue(leaf.Key, out var existing))
            {
                merged.Remove(existing);
            }

            keys[leaf.Key] = leaf.Key;
            merged.Set(leaf);
        }
    }
}
