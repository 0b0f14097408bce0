using System.Collections.Generic;
using Berth.Generator.Model;

namespace Berth.Generator.Toml;

/// <summary>
/// A TOML value with its place in the file. Tomlyn's syntax tree keeps positions but not TOML's table semantics
/// (headers, dotted keys); its object model has the semantics but only key positions. This tree has both.
/// </summary>
internal abstract class TomlNode
{
    protected TomlNode(SourceLocation location) => Location = location;

    /// <summary>Where the value is written (for a table opened by a header or dotted key: where its name is).</summary>
    public SourceLocation Location { get; }

    /// <summary>The TOML type name used in messages ("a string", "a table", …).</summary>
    public abstract string Description { get; }
}

internal sealed class TomlTableNode : TomlNode
{
    private readonly List<TomlEntry> _entries = new();

    // Keys are looked up for every entry added; an index keeps a table of thousands of services linear.
    private readonly Dictionary<string, int> _indexes = new(System.StringComparer.Ordinal);

    public TomlTableNode(SourceLocation location, TomlTableOrigin origin = TomlTableOrigin.Header)
        : base(location)
    {
        Origin = origin;
        DefinedAt = location;
    }

    public IReadOnlyList<TomlEntry> Entries => _entries;

    /// <summary>How the table was defined; only <see cref="TomlTreeBuilder"/> looks at it.</summary>
    public TomlTableOrigin Origin { get; private set; }

    /// <summary>
    /// Where the table was defined: the name in its header, the dotted key or the inline table. For a table that
    /// a later header defines after a deeper one created it, that header, while <see cref="TomlNode.Location"/>
    /// stays where the name was first written.
    /// </summary>
    public SourceLocation DefinedAt { get; private set; }

    /// <summary>An <see cref="TomlTableOrigin.Implicit"/> table is defined: by its own header, or by dotted keys.</summary>
    public void Define(TomlTableOrigin origin, SourceLocation at)
    {
        Origin = origin;
        DefinedAt = at;
    }

    public override string Description => "a table";

    public TomlEntry? Find(string key) => _indexes.TryGetValue(key, out var index) ? _entries[index] : null;

    public void Set(TomlEntry entry)
    {
        if (_indexes.TryGetValue(entry.Key, out var index))
        {
            _entries[index] = entry;
            return;
        }

        _indexes.Add(entry.Key, _entries.Count);
        _entries.Add(entry);
    }

    public void Remove(string key)
    {
        if (!_indexes.TryGetValue(key, out var index))
        {
            return;
        }

        _entries.RemoveAt(index);
        _indexes.Remove(key);
        for (var i = index; i < _entries.Count; i++)
        {
            _indexes[_entries[i].Key] = i;
        }
    }
}

/// <summary>A key of a table, where the key is written, and its value.</summary>
internal sealed class TomlEntry
{
    public TomlEntry(string key, SourceLocation keyLocation, TomlNode value)
    {
        Key = key;
        KeyLocation = keyLocation;
        Value = value;
    }

    public string Key { get; }

    public SourceLocation KeyLocation { get; }

    public TomlNode Value { get; }
}

internal sealed class TomlArrayNode : TomlNode
{
    public TomlArrayNode(SourceLocation location, List<TomlNode> items, bool isTableArray = false)
        : base(location)
    {
        Items = items;
        IsTableArray = isTableArray;
    }

    public List<TomlNode> Items { get; }

    /// <summary>Written as <c>[[name]]</c> headers rather than an inline array.</summary>
    public bool IsTableArray { get; }

    public override string Description => "an array";
}

internal enum TomlScalarKind
{
    String,
    Integer,
    Float,
    Boolean,
    DateTime,
}

internal sealed class TomlScalarNode : TomlNode
{
    public TomlScalarNode(SourceLocation location, TomlScalarKind kind, object value)
        : base(location)
    {
        Kind = kind;
        Value = value;
    }

    public TomlScalarKind Kind { get; }

    public object Value { get; }

    public override string Description => Kind switch
    {
        TomlScalarKind.String => "a string",
        TomlScalarKind.Integer => "an integer",
        TomlScalarKind.Float => "a float",
        TomlScalarKind.Boolean => "a boolean",
        _ => "a date-time",
    };
}
