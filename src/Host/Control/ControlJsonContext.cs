using System.Text.Json.Serialization;

namespace Berth.Host.Control;

/// <summary>The control protocol's and the stack record's JSON: snake_case names, every member written, nulls too.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlMessage))]
[JsonSerializable(typeof(StackRecord))]
[JsonSerializable(typeof(StackStatusDocument))]
internal sealed partial class ControlJsonContext : JsonSerializerContext
{
    /// <summary>The same, indented: <c>ps --format json</c> as people read it.</summary>
    public static ControlJsonContext Indented => field ??= new(new System.Text.Json.JsonSerializerOptions(Default.Options) { WriteIndented = true });
}
