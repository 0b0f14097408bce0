using System;
using System.Collections.Generic;
using System.Globalization;
using Berth.Generator.Model;
using Microsoft.CodeAnalysis.Text;
using Tomlyn;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Berth.Generator.Toml;

/// <summary>Reads TOML text into a <see cref="TomlTableNode"/> tree, or reports Tomlyn's syntax errors.</summary>
internal static class TomlTreeReader
{
    /// <summary>Tomlyn refuses (by throwing) a value with more nested arrays and inline tables than this.</summary>
    public const int MaxValueNesting = 63;

    /// <summary>
    /// How deep tables and arrays may nest in all, dotted keys and headers included. Tomlyn bounds only values;
    /// the binder walks the tree recursively, so an unbounded <c>a.b.c…</c> key would overflow the stack.
    /// </summary>
    public const int MaxDepth = 128;

    public static TomlTableNode? Read(string text, List<(SourceLocation Location, string Message)> errors)
    {
        var lines = new LineMap(text);
        DocumentSyntax document;
        try
        {
            document = SyntaxParser.Parse(text, "stack.toml", validate: true);
        }
        catch (ArgumentOutOfRangeException) when (SyntaxParser.Parse(text + "\n", "stack.toml", validate: true).HasErrors)
        {
            // Tomlyn throws when the text ends inside an escape sequence, as path = "C:\ does while it is being
            // typed; with a newline after it, it reports an error instead (and nothing else changes meaning).
            errors.Add((lines.Location(text.Length, text.Length), "the text ends inside an escape sequence ('\\…') of a string; finish it and close the string"));
            return null;
        }
        catch (TomlException)
        {
            // Tomlyn throws, without a position, when values nest too deeply; find the place ourselves.
            var offset = FindTooDeepNesting(text, MaxValueNesting);
            errors.Add((lines.Location(offset ?? 0, offset ?? 0), $"arrays and inline tables nest more than {MaxValueNesting} levels deep"));
            return null;
        }

        if (document.HasErrors)
        {
            foreach (var message in document.Diagnostics)
            {
                if (message.Kind == DiagnosticMessageKind.Error)
                {
                    errors.Add((lines.Location(message.Span), message.Message));
                }
            }

            return null;
        }

        var root = new TomlTableNode(SourceLocation.FileStart);
        foreach (var keyValue in document.KeyValues)
        {
            AddKeyValue(root, keyValue, lines);
        }

        foreach (var table in document.Tables)
        {
            if (table.Name is null)
            {
                continue;
            }

            var parts = KeyParts(table.Name, lines);
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
                AddKeyValue(target, item, lines);
            }
        }

        if (FindTooDeep(root) is { } tooDeep)
        {
            errors.Add((tooDeep, $"tables and arrays nest more than {MaxDepth} levels deep"));
            return null;
        }

        return root;
    }

    private static void AddKeyValue(TomlTableNode table, KeyValueSyntax keyValue, LineMap lines)
    {
        if (keyValue.Key is null || keyValue.Value is null)
        {
            return;
        }

        var parts = KeyParts(keyValue.Key, lines);
        var parent = Navigate(table, parts, parts.Count - 1);
        var last = parts[parts.Count - 1];
        if (parent is not null && ReadValue(keyValue.Value, lines) is { } value)
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

    private static List<(string Name, SourceLocation Location)> KeyParts(KeySyntax key, LineMap lines)
    {
        var parts = new List<(string, SourceLocation)>();
        if (key.Key is { } first)
        {
            parts.Add((KeyText(first), lines.Location(first.Span)));
        }

        foreach (var dotted in key.DotKeys)
        {
            if (dotted.Key is { } part)
            {
                parts.Add((KeyText(part), lines.Location(part.Span)));
            }
        }

        if (parts.Count == 0)
        {
            parts.Add((string.Empty, lines.Location(key.Span)));
        }

        return parts;
    }

    private static string KeyText(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? string.Empty,
        StringValueSyntax quoted => quoted.Value ?? string.Empty,
        _ => string.Empty,
    };

    private static TomlNode? ReadValue(ValueSyntax value, LineMap lines)
    {
        var location = lines.Location(value.Span);
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
                    if (item.Value is { } itemValue && ReadValue(itemValue, lines) is { } node)
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
                        AddKeyValue(table, keyValue, lines);
                    }
                }

                return table;
            default:
                return null;
        }
    }

    /// <summary>The first node nested deeper than <see cref="MaxDepth"/>, found without recursion.</summary>
    private static SourceLocation? FindTooDeep(TomlTableNode root)
    {
        var pending = new Stack<(TomlNode Node, int Depth)>();
        pending.Push((root, 0));
        while (pending.Count > 0)
        {
            var (node, depth) = pending.Pop();
            if (depth > MaxDepth)
            {
                return node.Location;
            }

            switch (node)
            {
                case TomlTableNode table:
                    foreach (var entry in table.Entries)
                    {
                        pending.Push((entry.Value, depth + 1));
                    }

                    break;
                case TomlArrayNode array:
                    foreach (var item in array.Items)
                    {
                        pending.Push((item, depth + 1));
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>
    /// The offset of the first '[' or '{' that opens a value container nested more than <paramref name="limit"/>
    /// deep, skipping strings, comments and table headers; null when there is none.
    /// </summary>
    private static int? FindTooDeepNesting(string text, int limit)
    {
        var depth = 0;
        var inValue = false;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '#':
                    while (i + 1 < text.Length && text[i + 1] != '\n')
                    {
                        i++;
                    }

                    break;
                case '"':
                case '\'':
                    i = SkipString(text, i);
                    break;
                case '\n':
                    inValue = depth > 0;
                    break;
                case '=':
                    inValue = true;
                    break;
                case '[':
                case '{':
                    if (inValue)
                    {
                        if (++depth > limit)
                        {
                            return i;
                        }
                    }

                    break;
                case ']':
                case '}':
                    if (depth > 0)
                    {
                        depth--;
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>The offset of the last character of the string starting at <paramref name="start"/>.</summary>
    private static int SkipString(string text, int start)
    {
        var quote = text[start];
        var multiline = start + 2 < text.Length && text[start + 1] == quote && text[start + 2] == quote;
        var i = start + (multiline ? 3 : 1);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && quote == '"')
            {
                i++;
            }
            else if (c == '\n' && !multiline)
            {
                return i - 1;
            }
            else if (c == quote && (!multiline || (i + 2 < text.Length && text[i + 1] == quote && text[i + 2] == quote)))
            {
                return multiline ? i + 2 : i;
            }
        }

        return text.Length - 1;
    }

    /// <summary>
    /// Maps offsets to lines and columns. Tomlyn's offsets count UTF-16 code units, as Roslyn does, but its columns
    /// count code points; columns are therefore taken from offsets, so a line holding an emoji still points right.
    /// </summary>
    private sealed class LineMap
    {
        private readonly int _length;
        private readonly List<int> _lineStarts = new() { 0 };

        public LineMap(string text)
        {
            _length = text.Length;
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    _lineStarts.Add(i + 1);
                }
            }
        }

        /// <summary>Tomlyn spans end inclusively; Roslyn's end exclusively.</summary>
        public SourceLocation Location(SourceSpan span) =>
            Location(span.Start.Offset, span.End.Offset < span.Start.Offset ? span.Start.Offset : span.End.Offset + 1);

        public SourceLocation Location(int start, int end)
        {
            start = Math.Max(0, Math.Min(start, _length));
            end = Math.Max(start, Math.Min(end, _length));
            return new SourceLocation(TextSpan.FromBounds(start, end), new LinePositionSpan(Position(start), Position(end)));
        }

        private LinePosition Position(int offset)
        {
            var index = _lineStarts.BinarySearch(offset);
            var line = index >= 0 ? index : ~index - 1;
            return new LinePosition(line, offset - _lineStarts[line]);
        }
    }
}
