using System;
using System.Collections.Generic;
using System.Globalization;
using Berth.Generator.Model;
using Microsoft.CodeAnalysis.Text;
using Tomlyn;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Berth.Generator.Toml;

/// <summary>
/// Reads TOML text into a <see cref="TomlTableNode"/> tree, or reports the first reason it is not valid TOML: Tomlyn's
/// syntax errors, then what <see cref="TomlTreeBuilder"/> finds defined twice.
/// </summary>
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
            // Tomlyn's validation pass is off: TomlTreeBuilder makes the same checks, faster and reliably (see there).
            document = SyntaxParser.Parse(text, "stack.toml", validate: false);
        }
        catch (ArgumentOutOfRangeException) when (SyntaxParser.Parse(text + "\n", "stack.toml", validate: false).HasErrors)
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

        var builder = new TomlTreeBuilder();
        if (!AddAll(builder, document, lines))
        {
            errors.Add(builder.Conflict!.Value);
            return null;
        }

        if (FindTooDeep(builder.Root) is { } tooDeep)
        {
            errors.Add((tooDeep, $"tables and arrays nest more than {MaxDepth} levels deep"));
            return null;
        }

        return builder.Root;
    }

    /// <summary>Adds the document's keys and sections in order; false at the first conflict.</summary>
    private static bool AddAll(TomlTreeBuilder builder, DocumentSyntax document, LineMap lines)
    {
        foreach (var keyValue in document.KeyValues)
        {
            if (!AddKeyValue(builder, builder.Root, keyValue, lines))
            {
                return false;
            }
        }

        foreach (var table in document.Tables)
        {
            if (table.Name is null)
            {
                continue;
            }

            var header = KeyParts(table.Name, lines);
            var target = table is TableArraySyntax ? builder.AddTableArrayElement(header) : builder.OpenTable(header);
            if (target is null)
            {
                return false;
            }

            foreach (var item in table.Items)
            {
                if (!AddKeyValue(builder, target, item, lines))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool AddKeyValue(TomlTreeBuilder builder, TomlTableNode table, KeyValueSyntax keyValue, LineMap lines)
    {
        if (keyValue.Key is null || keyValue.Value is null)
        {
            return true;
        }

        var key = KeyParts(keyValue.Key, lines);
        if (builder.TableForKey(table, key) is not { } parent)
        {
            return false;
        }

        if (CreateNode(keyValue.Value, lines) is not { } node)
        {
            return true;
        }

        // In the tree before it is filled, so that a conflict inside an inline table can name where it is.
        var last = key[key.Count - 1];
        parent.Set(new TomlEntry(last.Name, last.Location, node));
        return Fill(builder, node, keyValue.Value, lines);
    }

    /// <summary>A node for the value: scalars complete, arrays and inline tables still empty (see <see cref="Fill"/>).</summary>
    private static TomlNode? CreateNode(ValueSyntax value, LineMap lines)
    {
        var location = lines.Location(value.Span);
        return value switch
        {
            StringValueSyntax s => new TomlScalarNode(location, TomlScalarKind.String, s.Value ?? string.Empty),
            IntegerValueSyntax i => new TomlScalarNode(location, TomlScalarKind.Integer, i.Value),
            FloatValueSyntax f => new TomlScalarNode(location, TomlScalarKind.Float, f.Value),
            BooleanValueSyntax b => new TomlScalarNode(location, TomlScalarKind.Boolean, b.Value),
            DateTimeValueSyntax d => new TomlScalarNode(location, TomlScalarKind.DateTime, Convert.ToString(d.Value, CultureInfo.InvariantCulture) ?? string.Empty),
            ArraySyntax => new TomlArrayNode(location, new List<TomlNode>()),
            InlineTableSyntax => new TomlTableNode(location, TomlTableOrigin.Inline),
            _ => null,
        };
    }

    /// <summary>Adds the items of an array or inline table to its node; false at the first conflict.</summary>
    private static bool Fill(TomlTreeBuilder builder, TomlNode node, ValueSyntax value, LineMap lines)
    {
        switch (value)
        {
            case ArraySyntax a:
                var array = (TomlArrayNode)node;
                foreach (var item in a.Items)
                {
                    if (item.Value is { } itemValue && CreateNode(itemValue, lines) is { } itemNode)
                    {
                        array.Items.Add(itemNode);
                        if (!Fill(builder, itemNode, itemValue, lines))
                        {
                            return false;
                        }
                    }
                }

                return true;
            case InlineTableSyntax t:
                var table = (TomlTableNode)node;
                foreach (var item in t.Items)
                {
                    if (item.KeyValue is { } keyValue && !AddKeyValue(builder, table, keyValue, lines))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    private static List<TomlKeyPart> KeyParts(KeySyntax key, LineMap lines)
    {
        var parts = new List<TomlKeyPart>();
        if (key.Key is { } first)
        {
            parts.Add(new TomlKeyPart(KeyText(first), lines.Location(first.Span)));
        }

        foreach (var dotted in key.DotKeys)
        {
            if (dotted.Key is { } part)
            {
                parts.Add(new TomlKeyPart(KeyText(part), lines.Location(part.Span)));
            }
        }

        if (parts.Count == 0)
        {
            parts.Add(new TomlKeyPart(string.Empty, lines.Location(key.Span)));
        }

        return parts;
    }

    private static string KeyText(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? string.Empty,
        StringValueSyntax quoted => quoted.Value ?? string.Empty,
        _ => string.Empty,
    };

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
