using Berth.Generator.Model;

namespace Berth.Generator.Toml;

/// <summary>One part of a dotted key or table header (<c>b</c> in <c>a.b.c</c>), unquoted, and where it is written.</summary>
internal readonly record struct TomlKeyPart(string Name, SourceLocation Location);
