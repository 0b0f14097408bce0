using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Host;

/// <summary>Writes durations the way stack.toml spells them ("10s", "1m30s", "500ms") rather than "00:00:10".</summary>
internal sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Stack definitions are written, not read, as JSON.");

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Format(value));

    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        if (value.Hours + (value.Days * 24) > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Hours + (value.Days * 24)}h");
        }

        if (value.Minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Minutes}m");
        }

        if (value.Seconds > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Seconds}s");
        }

        if (value.Milliseconds > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Milliseconds}ms");
        }

        // Below a millisecond, or negative: nothing above applies; fall back to a plain number of milliseconds.
        return text.Length > 0 && value > TimeSpan.Zero
            ? text.ToString()
            : string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds}ms");
    }
}
