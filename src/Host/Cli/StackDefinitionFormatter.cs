using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Tomlyn;
using Tomlyn.Model;

namespace Berth.Host;

/// <summary>Writes a resolved <see cref="StackDefinition"/> as JSON or TOML with stack.toml's snake_case names.</summary>
public static class StackDefinitionFormatter
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower), new DurationJsonConverter() },
    };

    public static string ToJson(StackDefinition definition) => ToNode(definition).ToJsonString(s_json);

    public static string ToToml(StackDefinition definition) => TomlSerializer.Serialize(ToTomlTable(ToNode(definition)));

    private static JsonObject ToNode(StackDefinition definition)
    {
        var node = JsonSerializer.SerializeToNode(definition, s_json)!.AsObject();

        // The definition never holds a secret's value and nothing here reads one; "***" tells a reader looking for the
        // value that it is withheld on purpose.
        foreach (var secret in node["secrets"]!.AsArray())
        {
            secret!["value"] = "***";
        }

        return node;
    }

    private static TomlTable ToTomlTable(JsonObject json)
    {
        var table = new TomlTable();
        foreach (var (key, value) in json)
        {
            if (ToTomlValue(value) is { } converted)
            {
                table[key] = converted;
            }
        }

        return table;
    }

    private static object? ToTomlValue(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => ToTomlTable(o),
        JsonArray a when a.Count > 0 && a.All(i => i is JsonObject) => ToTableArray(a),
        JsonArray a => ToArray(a),
        JsonValue v when v.TryGetValue(out long l) => l,
        JsonValue v when v.TryGetValue(out double d) => d,
        JsonValue v when v.TryGetValue(out bool b) => b,
        _ => node.ToString(),
    };

    private static TomlTableArray ToTableArray(JsonArray array)
    {
        var tables = new TomlTableArray();
        foreach (var item in array)
        {
            tables.Add(ToTomlTable(item!.AsObject()));
        }

        return tables;
    }

    private static TomlArray ToArray(JsonArray array)
    {
        var items = new TomlArray();
        foreach (var item in array)
        {
            items.Add(ToTomlValue(item));
        }

        return items;
    }
}
