using System.Globalization;
using System.Text;

namespace Berth.Benchmarks.Workloads;

/// <summary>
/// The anchor's input: C# settings classes shaped like the fleet's services (about twenty properties each: strings,
/// numbers, enums, lists, dictionaries, nullable durations, shared nested records and one record of its own) and a
/// <c>JsonSerializerContext</c> that lists them all.
/// </summary>
internal static class JsonModel
{
    public const string ContextName = "FleetJsonContext";

    /// <summary>The shared types: enums and nested records every class uses.</summary>
    public const string SharedSource = """
        namespace Fleet.Model;

        public enum Protocol { Http, Tcp }

        public enum RestartPolicy { No, OnFailure, Always }

        public sealed record HealthCheck(string Kind, string? HttpPath, int? Retries, System.TimeSpan? Interval, System.TimeSpan? Timeout, System.TimeSpan? StartPeriod);

        public sealed record Dependency(string Service, string Condition);

        public sealed record Volume(string Kind, string? Source, string Target, bool ReadOnly, long? SizeBytes);

        public sealed record Limits(long? MemoryBytes, double? Cpus, int? Pids);
        """;

    /// <summary>One file per class, as a project would have them.</summary>
    public static IEnumerable<(string Path, string Text)> ClassSources(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return ($"Model/{TypeName(i)}.cs", ClassSource(i));
        }
    }

    /// <summary>The context: one <c>[JsonSerializable]</c> per class.</summary>
    public static string ContextSource(int count)
    {
        var b = new StringBuilder();
        b.AppendLine("using System.Text.Json.Serialization;");
        b.AppendLine();
        b.AppendLine("namespace Fleet.Model;");
        b.AppendLine();
        for (var i = 0; i < count; i++)
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"[JsonSerializable(typeof({TypeName(i)}))]");
        }

        b.AppendLine(CultureInfo.InvariantCulture, $"internal sealed partial class {ContextName} : JsonSerializerContext");
        b.AppendLine("{");
        b.AppendLine("}");
        return b.ToString();
    }

    private static string TypeName(int index)
    {
        var name = FleetStack.ServiceName(index);
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        return $"{char.ToUpperInvariant(name[0])}{name[1..dash]}{name[(dash + 1)..]}Settings";
    }

    private static string ClassSource(int index)
    {
        var type = TypeName(index);
        return $$"""
            using System;
            using System.Collections.Generic;

            namespace Fleet.Model;

            public sealed record {{type}}Options(int PageSize, string[] Regions, bool Caching, string? LogLevel);

            public sealed class {{type}}
            {
                public string Name { get; set; } = "";
                public string? Project { get; set; }
                public string? Image { get; set; }
                public List<string> Command { get; set; } = [];
                public string[] Args { get; set; } = [];
                public int? Port { get; set; }
                public Protocol Protocol { get; set; }
                public int Replicas { get; set; } = 1;
                public string? User { get; set; }
                public bool ReadOnly { get; set; }
                public Dictionary<string, string> Env { get; set; } = [];
                public {{type}}Options? Config { get; set; }
                public List<string> Secrets { get; set; } = [];
                public List<Dependency> DependsOn { get; set; } = [];
                public HealthCheck? Health { get; set; }
                public RestartPolicy Restart { get; set; }
                public Limits? Limits { get; set; }
                public List<Volume> Volumes { get; set; } = [];
                public List<string> Routes { get; set; } = [];
                public TimeSpan? StopGracePeriod { get; set; }
            }
            """;
    }
}
