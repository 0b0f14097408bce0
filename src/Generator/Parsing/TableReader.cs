using System;
using System.Collections.Generic;
using System.Linq;
using Berth.Generator.Model;
using Berth.Generator.Toml;

namespace Berth.Generator.Parsing;

/// <summary>
/// Reads the keys of one table with type checks. Keys not in the table's schema are reported as unknown with the
/// closest known key suggested.
/// </summary>
internal sealed class TableReader
{
    private readonly TomlTableNode _table;
    private readonly string _path;
    private readonly DiagnosticBag _diagnostics;

    public TableReader(TomlTableNode table, string path, DiagnosticBag diagnostics, params string[] knownKeys)
    {
        _table = table;
        _path = path;
        _diagnostics = diagnostics;
        foreach (var entry in table.Entries)
        {
            if (System.Array.IndexOf(knownKeys, entry.Key) < 0)
            {
                diagnostics.Report(
                    DiagnosticDescriptors.UnknownKey,
                    entry.KeyLocation,
                    entry.Key,
                    path.Length == 0 ? "stack.toml" : $"[{path}]",
                    Suggestions.DidYouMean(entry.Key, knownKeys) is { Length: > 0 } hint ? hint : $"; known keys: {string.Join(", ", knownKeys)}");
            }
        }
    }

    public DiagnosticBag Diagnostics => _diagnostics;

    public TomlTableNode Table => _table;

    public TomlEntry? Entry(string key) => _table.Find(key);

    public string PathOf(string key) => _path.Length == 0 ? key : $"{_path}.{key}";

    public string? String(string key, string example) => Scalar(key, TomlScalarKind.String, "a string", example) as string;

    public long? Integer(string key, string example) => Scalar(key, TomlScalarKind.Integer, "an integer", example) is long l ? l : null;

    public bool? Boolean(string key, string example) => Scalar(key, TomlScalarKind.Boolean, "true or false", example) is bool b ? b : null;

    public TomlTableNode? SubTable(string key, string example)
    {
        var entry = Entry(key);
        if (entry is null)
        {
            return null;
        }

        if (entry.Value is TomlTableNode table)
        {
            return table;
        }

        ReportWrongType(entry, "a table", example);
        return null;
    }

    /// <summary>The array at <paramref name="key"/>; null when absent or (reported) not an array.</summary>
    public TomlArrayNode? Array(string key, string expected, string example)
    {
        var entry = Entry(key);
        if (entry is null)
        {
            return null;
        }

        if (entry.Value is TomlArrayNode array)
        {
            return array;
        }

        ReportWrongType(entry, expected, example);
        return null;
    }

    /// <summary>An integer in [min, max], else reports it.</summary>
    public int? IntegerInRange(string key, int min, int max, string example)
    {
        var value = Integer(key, example);
        if (value is null)
        {
            return null;
        }

        if (value < min || value > max)
        {
            _diagnostics.Report(DiagnosticDescriptors.InvalidValue, Entry(key)!.Value.Location, PathOf(key), $"{value} is out of range; use {min} to {max}");
            return null;
        }

        return (int)value.Value;
    }

    /// <summary>One of <paramref name="allowed"/>, else reports it with the closest one.</summary>
    public string? OneOf(string key, params string[] allowed)
    {
        var value = String(key, $"{key} = \"{allowed[0]}\"");
        if (value is null)
        {
            return null;
        }

        if (System.Array.IndexOf(allowed, value) < 0)
        {
            _diagnostics.Report(
                DiagnosticDescriptors.InvalidValue,
                Entry(key)!.Value.Location,
                PathOf(key),
                $"'{value}' is not one of {string.Join(", ", allowed.Select(a => $"\"{a}\""))}{Suggestions.DidYouMean(value, allowed)}");
            return null;
        }

        return value;
    }

    /// <summary>A list of strings: an array of strings, or (when <paramref name="splitString"/>) a string split on whitespace.</summary>
    public List<(string Value, SourceLocation Location)>? StringList(string key, string example, bool splitString = false)
    {
        var entry = Entry(key);
        if (entry is null)
        {
            return null;
        }

        if (splitString && entry.Value is TomlScalarNode { Kind: TomlScalarKind.String, Value: string text })
        {
            return text.Split(new[] { ' ', '\t', '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(part => (part, entry.Value.Location))
                .ToList();
        }

        if (entry.Value is not TomlArrayNode array)
        {
            ReportWrongType(entry, splitString ? "an array of strings or a string" : "an array of strings", example);
            return null;
        }

        var result = new List<(string, SourceLocation)>();
        foreach (var item in array.Items)
        {
            if (item is TomlScalarNode { Kind: TomlScalarKind.String, Value: string s })
            {
                result.Add((s, item.Location));
            }
            else
            {
                _diagnostics.Report(DiagnosticDescriptors.WrongType, item.Location, $"{PathOf(key)} items", "strings", item.Description, example);
            }
        }

        return result;
    }

    public void ReportWrongType(TomlEntry entry, string expected, string example) =>
        _diagnostics.Report(DiagnosticDescriptors.WrongType, entry.Value.Location, PathOf(entry.Key), expected, entry.Value.Description, example);

    private object? Scalar(string key, TomlScalarKind kind, string expected, string example)
    {
        var entry = Entry(key);
        if (entry is null)
        {
            return null;
        }

        if (entry.Value is TomlScalarNode scalar && scalar.Kind == kind)
        {
            return scalar.Value;
        }

        ReportWrongType(entry, expected, example);
        return null;
    }
}
