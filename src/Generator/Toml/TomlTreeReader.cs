using System;
using System.Collections.Generic;
using System.Globalization;
using Berth.Generator.Model;
using Microsoft.CodeAnalysis.Text;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Berth.Generator.Toml;

/// <summary>Reads TOML text into a <see cref="TomlTableNode"/> tree, or reports Tomlyn's syntax errors.</summary>
internal static class TomlTreeReader
{
    public static TomlTableNode? Read(string text, List<(SourceLocation Location, string Message)> errors)
    {
        var document = SyntaxParser.Parse(text, "stack.toml", validate: true);
        if (document.HasErrors)
        {
            foreach (var message in document.Diagnostics)
            {
                if (message.Kind == DiagnosticMessageKind.Error)
                {
                    errors.Add((ToLocation(message.Span, text.Length), message.Message));
                }
            }

            return null;
        }

        var root = new TomlTableNode(SourceLocation.FileStart);
        foreach (var keyValue in document.KeyValues)
        {
            AddKeyValue(root, keyValue, text.Length);
        }

        foreach (var table in document.Tables)
        {
            if (table.Name is null)
            {
                continue;
            }

            var parts = KeyParts(table.Name, text.Length);
            TomlTableNode? target;
            if (table is TableArraySyntax)
            {
                var parent = Navigate(root, parts, parts.Count - 1);
                var last = parts[parts.Count - 1];
                var array = parent?.Find(last.Name)?.Value as TomlArrayNode;
                if (parent is not null && array is null)
                {
                    array = new TomlArrayNode(last.Location, new List<TomlNode>(), isTableArray: true);
                    parent.Set(new TomlEntry(last.Name, last.Location, array));
                }

                target = array is null ? null : new TomlTableNode(last.Location);
                if (target is not null)
                {
                    array!.Items.Add(target);
                }
            }
            else
            {
                target = Navigate(root, parts, parts.Count);
            }

            if (target is null)
            {
                continue;
            }

            foreach (var item in table.Items)
            {
                AddKeyValue(target, item, text.Length);
            }
        }

        return root;
    }

    private static void AddKeyValue(TomlTableNode table, KeyValueSyntax keyValue, int textLength)
    {
        if (keyValue.Key is null || keyValue.Value is null)
        {
            return;
        }

        var parts = KeyParts(keyValue.Key, textLength);
        var parent = Navigate(table, parts, parts.Count - 1);
        var last = parts[parts.Count - 1];
        if (parent is not null && ReadValue(keyValue.Value, textLength) is { } value)
        {
            parent.Set(new TomlEntry(last.Name, last.Location, value));
        }
    }

    /// <summary>Walks (creating as needed) the tables named by the first <paramref name="count"/> key parts.</summary>
    private static TomlTableNode? Navigate(TomlTableNode table, List<(string Name, SourceLocation Location)> parts, int count)
    {
        var current = table;
        for (var i = 0; i < count; i++)
        {
            var existing = current.Find(parts[i].Name)?.Value;
            switch (existing)
            {
                case TomlTableNode child:
                    current = child;
                    break;
                case TomlArrayNode { IsTableArray: true, Items.Count: > 0 } array when array.Items[array.Items.Count - 1] is TomlTableNode lastTable:
                    current = lastTable;
                    break;
                case null:
                    var created = new TomlTableNode(parts[i].Location);
                    current.Set(new TomlEntry(parts[i].Name, parts[i].Location, created));
                    current = created;
                    break;
                default:
                    // Tomlyn's validation rejects redefinitions; stay defensive and drop the value.
                    return null;
            }
        }

        return current;
    }

    private static List<(string Name, SourceLocation Location)> KeyParts(KeySyntax key, int textLength)
    {
        var parts = new List<(string, SourceLocation)>();
        if (key.Key is { } first)
        {
            parts.Add((KeyText(first), ToLocation(first.Span, textLength)));
        }

        foreach (var dotted in key.DotKeys)
        {
            if (dotted.Key is { } part)
            {
                parts.Add((KeyText(part), ToLocation(part.Span, textLength)));
            }
        }

        if (parts.Count == 0)
        {
            parts.Add((string.Empty, ToLocation(key.Span, textLength)));
        }

        return parts;
    }

    private static string KeyText(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? string.Empty,
        StringValueSyntax quoted => quoted.Value ?? string.Empty,
        _ => string.Empty,
    };

    private static TomlNode? ReadValue(ValueSyntax value, int textLength)
    {
        var location = ToLocation(value.Span, textLength);
        switch (value)
        {
            case StringValueSyntax s:
                return new TomlScalarNode(location, TomlScalarKind.String, s.Value ?? string.Empty);
            case IntegerValueSyntax i:
                return new TomlScalarNode(location, TomlScalarKind.Integer, i.Value);
            case FloatValueSyntax f:
                return new TomlScalarNode(location, TomlScalarKind.Float, f.Value);
            case BooleanValueSyntax b:
                return new TomlScalarNode(location, TomlScalarKind.Boolean, b.Value);
            case DateTimeValueSyntax d:
                return new TomlScalarNode(location, TomlScalarKind.DateTime, Convert.ToString(d.Value, CultureInfo.InvariantCulture) ?? string.Empty);
            case ArraySyntax a:
                var items = new List<TomlNode>();
                foreach (var item in a.Items)
                {
                    if (item.Value is { } itemValue && ReadValue(itemValue, textLength) is { } node)
                    {
                        items.Add(node);
                    }
                }

                return new TomlArrayNode(location, items);
            case InlineTableSyntax t:
                var table = new TomlTableNode(location);
                foreach (var item in t.Items)
                {
                    if (item.KeyValue is { } keyValue)
                    {
                        AddKeyValue(table, keyValue, textLength);
                    }
                }

                return table;
            default:
                return null;
        }
    }

    /// <summary>Tomlyn spans are zero-based with an inclusive end; Roslyn's end is exclusive.</summary>
    private static SourceLocation ToLocation(SourceSpan span, int textLength)
    {
        var start = Math.Max(0, Math.Min(span.Start.Offset, textLength));
        var end = Math.Max(start, Math.Min(span.End.Offset + 1, textLength));
        var startLine = new LinePosition(Math.Max(0, span.Start.Line), Math.Max(0, span.Start.Column));
        var endLine = span.End.Line < 0 || span.End.Offset < span.Start.Offset
            ? startLine
            : new LinePosition(span.End.Line, span.End.Column + 1);
        return new SourceLocation(TextSpan.FromBounds(start, end), new LinePositionSpan(startLine, endLine));
    }
}
