using System.Collections.Generic;
using System.Linq;
using Berth.Generator.Model;
using Microsoft.CodeAnalysis.Text;

namespace Berth.Generator.Toml;

/// <summary>
/// Puts table headers and keys, in document order, into the table tree as TOML 1.0 defines tables, and stops at the
/// first definition TOML forbids: a key set twice, a table defined twice (by two headers, or by a header and dotted
/// keys), dotted keys that add to a table with a header of its own, anything added to an inline table or an inline
/// array, and an array of tables mixed with a table.
/// </summary>
/// <remarks>
/// Tomlyn checks the same in an optional pass after parsing, but that pass costs a third or more of Tomlyn's time on
/// a stack.toml, and it is unreliable. It records each key's path as a shallow copy of the path it is building, so
/// the recorded paths change along with that one and only their hashes still tell keys apart: when the hashes of two
/// different keys of a table collide, it reports the second key as defined twice. String hashes differ from process
/// to process, so the same file then fails to build now and then; the odds grow with the square of the number of
/// keys (several percent for 20,000 keys in one table). It also lets a header define a table that dotted keys
/// already defined, and below arrays of tables it misses some redefinitions and refuses some valid tables (see the
/// tests).
/// </remarks>
internal sealed class TomlTreeBuilder
{
    public TomlTableNode Root { get; } = new(SourceLocation.FileStart);

    /// <summary>The first forbidden definition, if any; after it the tree is incomplete.</summary>
    public (SourceLocation Location, string Message)? Conflict { get; private set; }

    /// <summary><c>[a.b]</c>: the table the section's keys go into, or null when the header is not allowed.</summary>
    public TomlTableNode? OpenTable(IReadOnlyList<TomlKeyPart> header)
    {
        if (WalkHeader(header, "[", "]") is not { } parent)
        {
            return null;
        }

        var last = header[header.Count - 1];
        var entry = parent.Find(last.Name);
        switch (entry?.Value)
        {
            case null:
                var created = new TomlTableNode(last.Location);
                parent.Set(new TomlEntry(last.Name, last.Location, created));
                return created;
            case TomlTableNode { Origin: TomlTableOrigin.Implicit } table:
                table.Define(TomlTableOrigin.Header, last.Location);
                return table;
        }

        var name = Join(header, header.Count);
        return Fail(header, header.Count, entry.Value switch
        {
            TomlTableNode { Origin: TomlTableOrigin.Header } table =>
                $"[{name}] is defined twice, first on line {table.DefinedAt.Line}; put all of the table's keys under one [{name}] header",
            TomlTableNode { Origin: TomlTableOrigin.DottedKeys } table =>
                $"[{name}] cannot be used: the table '{name}' is already defined by dotted keys on line {table.DefinedAt.Line}; write its keys in one place, either all under [{name}] or all as dotted keys",
            TomlTableNode table =>
                $"[{name}] cannot be used: '{name}' is already set to an inline table on line {table.DefinedAt.Line}, which is complete as written; add the keys inside its {{ … }}, or write the whole table as a [{name}] section instead",
            TomlArrayNode { IsTableArray: true } array =>
                $"[{name}] cannot be used: '{name}' is an array of tables ([[{name}]] on line {array.Location.Line}); write [[{name}]] to add an element to it, or [{name}.NAME] for a table in its last element",
            var value =>
                $"[{name}] cannot be used: '{name}' is already set to {Describe(value)} on line {entry.KeyLocation.Line}; a key holds either a table or a value",
        });
    }

    /// <summary><c>[[a.b]]</c>: the new element the section's keys go into, or null when the header is not allowed.</summary>
    public TomlTableNode? AddTableArrayElement(IReadOnlyList<TomlKeyPart> header)
    {
        if (WalkHeader(header, "[[", "]]") is not { } parent)
        {
            return null;
        }

        var last = header[header.Count - 1];
        var entry = parent.Find(last.Name);
        var element = new TomlTableNode(last.Location);
        switch (entry?.Value)
        {
            case null:
                parent.Set(new TomlEntry(last.Name, last.Location, new TomlArrayNode(last.Location, new List<TomlNode> { element }, isTableArray: true)));
                return element;
            case TomlArrayNode { IsTableArray: true } array:
                array.Items.Add(element);
                return element;
        }

        var name = Join(header, header.Count);
        return Fail(header, header.Count, entry.Value switch
        {
            TomlArrayNode =>
                $"[[{name}]] cannot add to '{name}': it is an array written inline on line {entry.KeyLocation.Line}; write all of its elements either inline or as [[{name}]] sections",
            TomlTableNode table =>
                $"[[{name}]] cannot be used: '{name}' is already {Describe(table)} (line {table.DefinedAt.Line}); an array of tables is written with [[{name}]] headers only",
            var value =>
                $"[[{name}]] cannot be used: '{name}' is already set to {Describe(value)} on line {entry.KeyLocation.Line}; a key holds either an array of tables or a value",
        });
    }

    /// <summary>
    /// <c>a.b.c = value</c> written in <paramref name="table"/>: the table the key's last part goes into, made by
    /// its dotted parts as needed, or null when the key may not be set. The caller adds the value.
    /// </summary>
    public TomlTableNode? TableForKey(TomlTableNode table, IReadOnlyList<TomlKeyPart> key)
    {
        var current = table;
        for (var i = 0; i < key.Count - 1; i++)
        {
            var entry = FindOrCreate(current, key[i], TomlTableOrigin.DottedKeys);
            switch (entry.Value)
            {
                case TomlTableNode { Origin: TomlTableOrigin.Implicit } child:
                    // Dotted keys define the tables they pass through, so no header may define this one any more.
                    child.Define(TomlTableOrigin.DottedKeys, key[i].Location);
                    current = child;
                    break;
                case TomlTableNode { Origin: TomlTableOrigin.DottedKeys } child:
                    current = child;
                    break;
                case TomlTableNode { Origin: TomlTableOrigin.Header } child:
                    var tableName = Qualified(table, key, i + 1);
                    return Fail(key, i + 1, $"'{Qualified(table, key, key.Count)}' cannot be set here: the table '{tableName}' has its own header [{tableName}] (line {child.DefinedAt.Line}), and dotted keys written elsewhere may not add to it; set {Join(key, i + 1, key.Count)} under [{tableName}] instead");
                case TomlTableNode child:
                    return Fail(key, i + 1, $"'{Qualified(table, key, key.Count)}' cannot be set: '{Qualified(table, key, i + 1)}' is an inline table (line {child.DefinedAt.Line}), complete as written; add {Join(key, i + 1, key.Count)} inside its {{ … }} instead");
                case TomlArrayNode array:
                    return Fail(key, i + 1, $"'{Qualified(table, key, key.Count)}' cannot be set: '{Qualified(table, key, i + 1)}' is {Describe(array)} (line {entry.KeyLocation.Line}), and a dotted key cannot add to an array");
                default:
                    return Fail(key, i + 1, $"'{Qualified(table, key, key.Count)}' cannot be set: '{Qualified(table, key, i + 1)}' is already set to {Describe(entry.Value)} on line {entry.KeyLocation.Line}, not a table");
            }
        }

        var existing = current.Find(key[key.Count - 1].Name);
        return existing switch
        {
            null => current,
            { Value: TomlTableNode defined } => Fail(key, key.Count, $"'{Qualified(table, key, key.Count)}' is already defined as {Describe(defined)} on line {defined.DefinedAt.Line}, so it cannot also be set here; remove one of the two"),
            { Value: TomlArrayNode { IsTableArray: true } array } => Fail(key, key.Count, $"'{Qualified(table, key, key.Count)}' is already defined as an array of tables ([[…]] on line {array.Location.Line}), so it cannot also be set here; remove one of the two"),
            _ => Fail(key, key.Count, $"'{Qualified(table, key, key.Count)}' is already set on line {existing.KeyLocation.Line}; a key may be set only once, so remove one of the two"),
        };
    }

    /// <summary>The table holding a header's last part: implicit tables are made on the way.</summary>
    private TomlTableNode? WalkHeader(IReadOnlyList<TomlKeyPart> header, string open, string close)
    {
        var current = Root;
        for (var i = 0; i < header.Count - 1; i++)
        {
            var entry = FindOrCreate(current, header[i], TomlTableOrigin.Implicit);
            switch (entry.Value)
            {
                case TomlTableNode { Origin: TomlTableOrigin.Inline } table:
                    return Fail(header, i + 1, $"{open}{Join(header, header.Count)}{close} cannot add to '{Join(header, i + 1)}': it is an inline table (line {table.DefinedAt.Line}), complete as written; add to it inside its {{ … }}, or write the whole table as a [{Join(header, i + 1)}] section instead");
                case TomlTableNode table:
                    current = table;
                    break;
                case TomlArrayNode { IsTableArray: true } array:
                    // A header below an array of tables adds to its last element.
                    current = (TomlTableNode)array.Items[array.Items.Count - 1];
                    break;
                case TomlArrayNode:
                    return Fail(header, i + 1, $"{open}{Join(header, header.Count)}{close} cannot add to '{Join(header, i + 1)}': it is an array written inline (line {entry.KeyLocation.Line}); a header can add only to the last element of an array of tables written with [[{Join(header, i + 1)}]]");
                default:
                    return Fail(header, i + 1, $"{open}{Join(header, header.Count)}{close} cannot be used: '{Join(header, i + 1)}' is already set to {Describe(entry.Value)} on line {entry.KeyLocation.Line}, not a table");
            }
        }

        return current;
    }

    /// <summary>The entry for <paramref name="part"/> in <paramref name="table"/>, a new table of <paramref name="origin"/> when there is none.</summary>
    private static TomlEntry FindOrCreate(TomlTableNode table, TomlKeyPart part, TomlTableOrigin origin)
    {
        if (table.Find(part.Name) is not { } entry)
        {
            entry = new TomlEntry(part.Name, part.Location, new TomlTableNode(part.Location, origin));
            table.Set(entry);
        }

        return entry;
    }

    /// <summary>Records the conflict at the first <paramref name="count"/> parts of the key (the error's span).</summary>
    private TomlTableNode? Fail(IReadOnlyList<TomlKeyPart> key, int count, string message)
    {
        var first = key[0].Location;
        var last = key[count - 1].Location;
        Conflict = (new SourceLocation(TextSpan.FromBounds(first.Span.Start, last.Span.End), new LinePositionSpan(first.LineSpan.Start, last.LineSpan.End)), message);
        return null;
    }

    private static string Join(IReadOnlyList<TomlKeyPart> key, int count) => Join(key, 0, count);

    private static string Join(IReadOnlyList<TomlKeyPart> key, int start, int end) =>
        string.Join(".", key.Skip(start).Take(end - start).Select(part => part.Name));

    /// <summary>The first <paramref name="count"/> parts of a key written in <paramref name="table"/>, named from the root.</summary>
    private string Qualified(TomlTableNode table, IReadOnlyList<TomlKeyPart> key, int count)
    {
        var path = PathOf(table);
        return path.Length == 0 ? Join(key, count) : path + "." + Join(key, count);
    }

    /// <summary>
    /// The name of <paramref name="table"/> from the root, as messages write it (<c>services.api.volumes[0]</c>).
    /// Only a conflict needs it, so it is found by a search rather than kept for every table.
    /// </summary>
    private string PathOf(TomlTableNode table)
    {
        var parents = new Dictionary<TomlNode, (TomlNode Parent, string Step, bool IsIndex)>();
        var pending = new Stack<TomlNode>();
        pending.Push(Root);
        while (pending.Count > 0 && !parents.ContainsKey(table) && table != Root)
        {
            switch (pending.Pop())
            {
                case TomlTableNode node:
                    foreach (var entry in node.Entries)
                    {
                        parents[entry.Value] = (node, entry.Key, false);
                        pending.Push(entry.Value);
                    }

                    break;
                case TomlArrayNode node:
                    for (var i = 0; i < node.Items.Count; i++)
                    {
                        parents[node.Items[i]] = (node, $"[{i}]", true);
                        pending.Push(node.Items[i]);
                    }

                    break;
            }
        }

        var steps = new List<(string Step, bool IsIndex)>();
        for (TomlNode current = table; parents.TryGetValue(current, out var up); current = up.Parent)
        {
            steps.Add((up.Step, up.IsIndex));
        }

        steps.Reverse();
        return string.Concat(steps.Select((step, i) => i == 0 || step.IsIndex ? step.Step : "." + step.Step));
    }

    private static string Describe(TomlNode node) => node switch
    {
        TomlTableNode { Origin: TomlTableOrigin.Inline } => "an inline table",
        TomlArrayNode { IsTableArray: true } => "an array of tables",
        _ => node.Description,
    };
}
