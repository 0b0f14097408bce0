using System.Text.Json;

namespace Berth.Runtime.Probe;

/// <summary>Writes a verb's report: one JSON object, camelCase, on stdout.</summary>
internal static class ProbeOutput
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web);

    public static void Write<T>(T report) => Console.Out.WriteLine(JsonSerializer.Serialize(report, s_options));
}
