using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Berth.Generator.Model;
using Berth.Generator.Toml;

namespace Berth.Generator.Parsing;

/// <summary>Binds one <c>[services.NAME]</c> table (already merged for an environment) to a <see cref="ServiceSpec"/>.</summary>
internal static class ServiceBinder
{
    public static readonly string[] Keys =
    {
        "project", "image", "command", "args", "port", "protocol", "replicas", "user", "read_only", "env", "config",
        "secrets", "depends_on", "health", "restart", "limits", "volumes", "routes", "ports", "stop_grace_period",
        "cap_add", "network", "init",
    };

    internal static readonly string[] s_healthKeys = { "http", "tcp", "command", "interval", "timeout", "retries", "start_period" };
    internal static readonly string[] s_limitKeys = { "memory", "cpus", "pids" };
    internal static readonly string[] s_volumeKeys = { "type", "source", "target", "read_only", "size" };
    private static readonly string[] s_conditions = { "started", "healthy", "completed" };

    /// <summary>Linux capability names (without CAP_), for <c>cap_add</c>.</summary>
    private static readonly string[] s_capabilities =
    {
        "AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE", "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE", "CHOWN",
        "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE",
        "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE", "NET_BROADCAST",
        "NET_RAW", "PERFMON", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYSLOG", "SYS_ADMIN", "SYS_BOOT",
        "SYS_CHROOT", "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME",
        "SYS_TTY_CONFIG", "WAKE_ALARM",
    };

    public static BoundService Bind(TomlEntry entry, DiagnosticBag diagnostics)
    {
        var service = new BoundService(entry.Key, entry.KeyLocation);
        var path = $"services.{entry.Key}";
        if (entry.Value is not TomlTableNode table)
        {
            diagnostics.Report(DiagnosticDescriptors.WrongType, entry.Value.Location, path, "a table", entry.Value.Description, $"[services.{entry.Key}] with project = \"../Api/Api.csproj\"");
            service.Spec = new ServiceSpec { Name = entry.Key };
            return service;
        }

        var r = new TableReader(table, path, diagnostics, Keys);
        var project = NonEmpty(r, "project", "project = \"../Catalog/Catalog.csproj\"");
        var image = NonEmpty(r, "image", "image = \"docker.io/library/redis:7\"");
        service.ProjectLocation = project is null ? null : r.Entry("project")!.Value.Location;
        service.ImageLocation = image is null ? null : r.Entry("image")!.Value.Location;

        var protocol = r.OneOf("protocol", "http", "tcp");
        BindDependencies(r, service);
        service.Secrets.AddRange(r.StringList("secrets", "secrets = [\"api_key\"]") ?? new());
        var routes = BindRoutes(r, service, protocol);
        var ports = BindPorts(r, service);

        service.Spec = new ServiceSpec
        {
            Name = entry.Key,
            Project = project,
            Image = image,
            Command = Strings(r.StringList("command", "command = [\"/bin/server\", \"--verbose\"]", splitString: true)),
            Args = Strings(r.StringList("args", "args = [\"--port\", \"8080\"]", splitString: true)),
            Port = r.IntegerInRange("port", 1, 65535, "port = 8080"),
            Protocol = protocol is null ? null : Pascal(protocol),
            Replicas = r.IntegerInRange("replicas", 0, 1000, "replicas = 2"),
            User = BindUser(r),
            ReadOnly = r.Boolean("read_only", "read_only = true"),
            Env = BindEnv(r),
            Config = BindConfig(r),
            Secrets = service.Secrets.Select(s => s.Name).ToEquatableArray(),
            DependsOn = service.Dependencies.Select(d => new DependencySpec(d.Name, d.Condition)).ToEquatableArray(),
            Health = BindHealth(r),
            Restart = r.OneOf("restart", "no", "on-failure", "always", "unless-stopped") is { } restart ? Pascal(restart) : null,
            Volumes = BindVolumes(r),
            Routes = routes,
            Ports = ports,
            StopGracePeriodMs = Duration(r, "stop_grace_period"),
            CapAdd = BindCapabilities(r),
            Network = r.OneOf("network", "isolated", "host") is { } network ? Pascal(network) : null,
            Init = r.Boolean("init", "init = true"),
        };
        BindLimits(r, service);
        return service;
    }

    private static void BindDependencies(TableReader r, BoundService service)
    {
        var entry = r.Entry("depends_on");
        if (entry is null)
        {
            return;
        }

        const string example = "depends_on = [\"catalog\"] or depends_on = { catalog = \"healthy\" }";
        if (entry.Value is TomlArrayNode)
        {
            foreach (var (name, location) in r.StringList("depends_on", example) ?? new())
            {
                AddDependency(service, name, location, "Started");
            }
        }
        else if (entry.Value is TomlTableNode table)
        {
            foreach (var dependency in table.Entries)
            {
                if (dependency.Value is not TomlScalarNode { Kind: TomlScalarKind.String, Value: string condition })
                {
                    r.Diagnostics.Report(DiagnosticDescriptors.WrongType, dependency.Value.Location, $"depends_on.{dependency.Key}", "a string", dependency.Value.Description, $"{dependency.Key} = \"healthy\"");
                    continue;
                }

                // Compose spells these service_started, service_healthy, service_completed_successfully.
                var normalized = condition switch
                {
                    "service_started" => "started",
                    "service_healthy" => "healthy",
                    "service_completed_successfully" => "completed",
                    _ => condition,
                };
                if (Array.IndexOf(s_conditions, normalized) < 0)
                {
                    r.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, dependency.Value.Location, $"services.{service.Name}.depends_on.{dependency.Key}", $"'{condition}' is not one of \"started\", \"healthy\", \"completed\"{Suggestions.DidYouMean(condition, s_conditions)}");
                    continue;
                }

                AddDependency(service, dependency.Key, dependency.KeyLocation, Pascal(normalized));
            }
        }
        else
        {
            r.ReportWrongType(entry, "an array of service names or a table of name = condition", example);
        }
    }

    private static void AddDependency(BoundService service, string name, SourceLocation location, string condition)
    {
        if (!service.Dependencies.Any(d => d.Name == name))
        {
            service.Dependencies.Add((name, condition, location));
        }
    }

    private static string? NonEmpty(TableReader r, string key, string example)
    {
        var value = r.String(key, example);
        if (value is not null && value.Trim().Length == 0)
        {
            r.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, r.Entry(key)!.Value.Location, r.PathOf(key), $"it is empty; for example: {example}");
            return null;
        }

        return value;
    }

    private static string? BindUser(TableReader r)
    {
        var entry = r.Entry("user");
        return entry?.Value switch
        {
            null => null,
            TomlScalarNode { Kind: TomlScalarKind.Integer, Value: long uid } when uid >= 0 && uid <= uint.MaxValue - 1 => uid.ToString(CultureInfo.InvariantCulture),
            TomlScalarNode { Kind: TomlScalarKind.String, Value: string name } when name.Length > 0 => name,
            _ => ReportUser(r, entry),
        };

        static string? ReportUser(TableReader r, TomlEntry entry)
        {
            // "must be a user name, not a string" would puzzle whoever wrote user = ""; say what is wrong instead.
            switch (entry.Value)
            {
                case TomlScalarNode { Kind: TomlScalarKind.String }:
                    r.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, entry.Value.Location, r.PathOf("user"), "it is empty; for example: user = \"1000:1000\"");
                    break;
                case TomlScalarNode { Kind: TomlScalarKind.Integer, Value: long uid }:
                    r.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, entry.Value.Location, r.PathOf("user"), $"{uid.ToString(CultureInfo.InvariantCulture)} is out of range; a uid is 0 to {(uint.MaxValue - 1).ToString(CultureInfo.InvariantCulture)}");
                    break;
                default:
                    r.ReportWrongType(entry, "a user name, uid or \"uid:gid\"", "user = \"1000:1000\"");
                    break;
            }

            return null;
        }
    }

    private static EquatableArray<KeyValue> BindEnv(TableReader r)
    {
        var table = r.SubTable("env", "env = { LOG_LEVEL = \"debug\" }");
        if (table is null)
        {
            return EquatableArray<KeyValue>.Empty;
        }

        var result = new List<KeyValue>();
        foreach (var entry in table.Entries)
        {
            var path = $"{r.PathOf("env")}.{entry.Key}";
            if (entry.Key.Length == 0 || entry.Key.IndexOf('=') >= 0 || entry.Key.IndexOf('\0') >= 0)
            {
                r.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, entry.KeyLocation, path, "an environment variable name must be non-empty and hold no '=' or NUL");
                continue;
            }

            if (ScalarText(entry.Value) is not { } value)
            {
                r.Diagnostics.Report(DiagnosticDescriptors.WrongType, entry.Value.Location, path, "a string, number or boolean", entry.Value.Description, $"{entry.Key} = \"value\"");
                continue;
            }

            if (Interpolation.Validate(value) is { } problem)
            {
                r.Diagnostics.Report(DiagnosticDescriptors.InvalidInterpolation, entry.Value.Location, path, problem);
                continue;
            }

            result.Add(new KeyValue(entry.Key, value));
        }

        return result.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToEquatableArray();
    }

    /// <summary>Flattens the config table to .NET configuration keys: nested tables join with ':', arrays index.</summary>
    private static EquatableArray<KeyValue> BindConfig(TableReader r)
    {
        var table = r.SubTable("config", "config = { \"Catalog:PageSize\" = 20 }");
        if (table is null)
        {
            return EquatableArray<KeyValue>.Empty;
        }

        return ConfigKeys.Flatten(table)
            .Select(leaf => new KeyValue(leaf.Key, ScalarText(leaf.Value) ?? string.Empty))
            .GroupBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.Last())
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .ToEquatableArray();
    }

    private static HealthSpec? BindHealth(TableReader r)
    {
        var table = r.SubTable("health", "health = { http = \"/health\" }");
        if (table is null)
        {
            return null;
        }

        var h = new TableReader(table, r.PathOf("health"), r.Diagnostics, s_healthKeys);
        var kinds = new[] { "http", "tcp", "command" }.Where(k => h.Entry(k) is not null).ToList();
        if (kinds.Count != 1)
        {
            r.Diagnostics.Report(
                DiagnosticDescriptors.InvalidValue,
                r.Entry("health")!.Value.Location,
                r.PathOf("health"),
                kinds.Count == 0
                    ? "set one check: http = \"/health\", tcp = true, or command = [\"/bin/check\"]"
                    : $"set exactly one of http, tcp and command, not {string.Join(" and ", kinds)}");
            return null;
        }

        string? httpPath = null;
        var command = EquatableArray<string>.Empty;
        switch (kinds[0])
        {
            case "http":
                httpPath = h.String("http", "http = \"/health\"");
                if (httpPath is not null && !httpPath.StartsWith("/", StringComparison.Ordinal))
                {
                    r.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, h.Entry("http")!.Value.Location, h.PathOf("http"), $"'{httpPath}' must be a path starting with '/'");
                    return null;
                }

                if (httpPath is null)
                {
                    return null;
                }

                break;
            case "tcp":
                var tcp = h.Boolean("tcp", "tcp = true");
                if (tcp == false)
                {
                    r.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, h.Entry("tcp")!.Value.Location, h.PathOf("tcp"), "tcp = false is not a check; write tcp = true to check that the port accepts connections");
                }

                if (tcp != true)
                {
                    return null;
                }

                break;
            default:
                var list = h.StringList("command", "command = [\"/app/healthcheck\"]", splitString: true);
                if (list is null)
                {
                    return null;
                }

                if (list.Count == 0)
                {
                    // Dropping the check silently would leave a service nobody waits for as "healthy".
                    r.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, h.Entry("command")!.Value.Location, h.PathOf("command"), "it is empty; for example: command = [\"/app/healthcheck\"]");
                    return null;
                }

                command = Strings(list);
                break;
        }

        return new HealthSpec(
            Pascal(kinds[0]),
            httpPath,
            command,
            Duration(h, "interval"),
            Duration(h, "timeout"),
            h.IntegerInRange("retries", 0, 1000, "retries = 3"),
            Duration(h, "start_period"));
    }

    private static void BindLimits(TableReader r, BoundService service)
    {
        var table = r.SubTable("limits", "limits = { memory = \"256MiB\", cpus = 0.5, pids = 100 }");
        if (table is null)
        {
            return;
        }

        var l = new TableReader(table, r.PathOf("limits"), r.Diagnostics, s_limitKeys);
        var memory = Size(l, "memory", "memory = \"256MiB\"");

        double? cpus = null;
        if (l.Entry("cpus") is { } cpuEntry)
        {
            if (cpuEntry.Value is TomlScalarNode { Value: var raw } cpuNode && cpuNode.Kind is TomlScalarKind.Integer or TomlScalarKind.Float or TomlScalarKind.String)
            {
                var text = ScalarText(cpuNode)!;
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= 1024 && !double.IsNaN(value))
                {
                    cpus = value;
                }
                else
                {
                    r.Diagnostics.Report(DiagnosticDescriptors.InvalidCpus, cpuNode.Location, text, l.PathOf("cpus"));
                }
            }
            else
            {
                l.ReportWrongType(cpuEntry, "a number", "cpus = 0.5");
            }
        }

        var pids = l.IntegerInRange("pids", 1, 4_194_304, "pids = 100");
        service.Spec = service.Spec with { MemoryBytes = memory, Cpus = cpus, Pids = pids };
    }

    private static EquatableArray<VolumeSpec> BindVolumes(TableReader r)
    {
        const string example = "volumes = [\"./data:/data:ro\", { type = \"tmpfs\", target = \"/cache\", size = \"64MiB\" }]";
        if (r.Array("volumes", "an array of volumes", example) is not { } array)
        {
            return EquatableArray<VolumeSpec>.Empty;
        }

        var result = new List<VolumeSpec>();
        for (var i = 0; i < array.Items.Count; i++)
        {
            var item = array.Items[i];
            var path = $"{r.PathOf("volumes")}[{i}]";
            var volume = item switch
            {
                TomlScalarNode { Kind: TomlScalarKind.String, Value: string text } => ParseShortVolume(text, item.Location, path, r.Diagnostics),
                TomlTableNode table => BindVolumeTable(table, path, r.Diagnostics),
                _ => ReportVolumeType(item, path, r.Diagnostics, example),
            };
            if (volume is not null)
            {
                result.Add(volume);
            }
        }

        return result.ToEquatableArray();

        static VolumeSpec? ReportVolumeType(TomlNode item, string path, DiagnosticBag diagnostics, string example)
        {
            diagnostics.Report(DiagnosticDescriptors.WrongType, item.Location, path, "a string or a table", item.Description, example);
            return null;
        }
    }

    /// <summary>Compose's short form: "SOURCE:TARGET[:ro|rw]"; a source starting with '.', '/' or '~' is a bind mount.</summary>
    private static VolumeSpec? ParseShortVolume(string text, SourceLocation location, string path, DiagnosticBag diagnostics)
    {
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || parts[1].Length == 0 || (parts.Length == 3 && parts[2] is not ("ro" or "rw")))
        {
            diagnostics.Report(DiagnosticDescriptors.InvalidValue, location, path, $"'{text}' is not SOURCE:TARGET or SOURCE:TARGET:ro");
            return null;
        }

        if (!parts[1].StartsWith("/", StringComparison.Ordinal))
        {
            diagnostics.Report(DiagnosticDescriptors.InvalidValue, location, path, $"the target '{parts[1]}' must be an absolute path in the container");
            return null;
        }

        var kind = IsHostPath(parts[0]) ? "Bind" : "Named";
        if (kind == "Named" && !Identifiers.IsValidName(parts[0], out var reason))
        {
            diagnostics.Report(DiagnosticDescriptors.InvalidValue, location, path, $"volume name '{parts[0]}' is not valid ({reason}); a host path starts with ./, ../ or /");
            return null;
        }

        return new VolumeSpec(kind, parts[0], parts[1], parts.Length == 3 && parts[2] == "ro", null);
    }

    private static VolumeSpec? BindVolumeTable(TomlTableNode table, string path, DiagnosticBag diagnostics)
    {
        var v = new TableReader(table, path, diagnostics, s_volumeKeys);
        var type = v.OneOf("type", "bind", "volume", "tmpfs");
        var source = v.String("source", "source = \"./data\"");
        var target = v.String("target", "target = \"/data\"");
        var readOnly = v.Boolean("read_only", "read_only = true") ?? false;
        var size = Size(v, "size", "size = \"64MiB\"");

        if (v.Entry("type") is not null && type is null)
        {
            return null;
        }

        if (target is null || !target.StartsWith("/", StringComparison.Ordinal))
        {
            diagnostics.Report(
                target is null ? DiagnosticDescriptors.MissingKey : DiagnosticDescriptors.InvalidValue,
                v.Entry("target")?.Value.Location ?? table.Location,
                target is null ? $"{path}.target" : v.PathOf("target"),
                target is null ? "target = \"/path/in/container\"" : $"'{target}' must be an absolute path in the container");
            return null;
        }

        type ??= source is null ? "tmpfs" : IsHostPath(source) ? "bind" : "volume";
        if (type != "tmpfs" && source is null)
        {
            diagnostics.Report(DiagnosticDescriptors.MissingKey, table.Location, $"{path}.source", $"source = \"{(type == "bind" ? "./data" : "data")}\"");
            return null;
        }

        if (type == "volume" && source is not null && !Identifiers.IsValidName(source, out var reason))
        {
            diagnostics.Report(DiagnosticDescriptors.InvalidValue, v.Entry("source")!.Value.Location, v.PathOf("source"), $"volume name '{source}' is not valid ({reason}); a host path starts with ./, ../ or /");
            return null;
        }

        if (type == "tmpfs" && source is not null)
        {
            diagnostics.Report(DiagnosticDescriptors.InvalidValue, v.Entry("source")!.Value.Location, v.PathOf("source"), "a tmpfs volume has no source; remove it");
            return null;
        }

        if (size is not null && type != "tmpfs")
        {
            diagnostics.Report(DiagnosticDescriptors.InvalidValue, v.Entry("size")!.Value.Location, v.PathOf("size"), "only tmpfs volumes take a size");
            return null;
        }

        return new VolumeSpec(type switch { "bind" => "Bind", "volume" => "Named", _ => "Tmpfs" }, source, target, readOnly, size);
    }

    /// <summary>A size written with a unit ("256MiB", "1g") or as a number of bytes.</summary>
    private static long? Size(TableReader r, string key, string example)
    {
        var entry = r.Entry(key);
        switch (entry?.Value)
        {
            case null:
                return null;
            case TomlScalarNode { Kind: TomlScalarKind.String, Value: string text } when ValueParsers.TryParseSize(text, out var bytes):
                return bytes;
            case TomlScalarNode { Kind: TomlScalarKind.Integer, Value: long bytes } when bytes > 0:
                return bytes;
            case TomlScalarNode scalar when scalar.Kind is TomlScalarKind.String or TomlScalarKind.Integer:
                r.Diagnostics.Report(DiagnosticDescriptors.InvalidSize, scalar.Location, ScalarText(scalar)!, r.PathOf(key));
                return null;
            default:
                r.ReportWrongType(entry, "a size such as \"256MiB\" or a number of bytes", example);
                return null;
        }
    }

    private static bool IsHostPath(string source) =>
        source.StartsWith(".", StringComparison.Ordinal) || source.StartsWith("/", StringComparison.Ordinal) || source.StartsWith("~", StringComparison.Ordinal);

    private static EquatableArray<string> BindRoutes(TableReader r, BoundService service, string? protocol)
    {
        var routes = r.StringList("routes", "routes = [\"/api/catalog\"]");
        if (routes is null)
        {
            return EquatableArray<string>.Empty;
        }

        if (protocol == "tcp" && routes.Count > 0)
        {
            r.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, r.Entry("routes")!.Value.Location, r.PathOf("routes"), "gateway routes carry HTTP; a service with protocol = \"tcp\" publishes with 'ports' instead");
            return EquatableArray<string>.Empty;
        }

        var result = new List<string>();
        foreach (var (route, location) in routes)
        {
            if (!route.StartsWith("/", StringComparison.Ordinal) || route.IndexOfAny(new[] { '?', '#', ' ', '*', '{', '}' }) >= 0)
            {
                r.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, location, r.PathOf("routes"), $"'{route}' must be a path prefix such as \"/api/catalog\": start with '/', no query, wildcard or spaces");
                continue;
            }

            // "/api/" and "/api" are one prefix; "//" is the root, not an empty route.
            var normalized = route.TrimEnd('/');
            normalized = normalized.Length == 0 ? "/" : normalized;
            result.Add(normalized);
            service.Routes.Add((normalized, location));
        }

        return result.ToEquatableArray();
    }

    private static EquatableArray<PortSpec> BindPorts(TableReader r, BoundService service)
    {
        if (r.Array("ports", "an array of \"HOST:CONTAINER\" strings", "ports = [\"5432:5432\"]") is not { } array)
        {
            return EquatableArray<PortSpec>.Empty;
        }

        var result = new List<PortSpec>();
        foreach (var item in array.Items)
        {
            PortSpec? port = item switch
            {
                TomlScalarNode { Kind: TomlScalarKind.Integer, Value: long p } when p is >= 1 and <= 65535 => new PortSpec((int)p, (int)p),
                TomlScalarNode { Kind: TomlScalarKind.String, Value: string text } => ParsePortMapping(text),
                _ => null,
            };
            if (port is null)
            {
                r.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, item.Location, r.PathOf("ports"), $"{(item is TomlScalarNode s ? $"'{ScalarText(s)}'" : item.Description)} is not a port mapping; write \"HOST:CONTAINER\" with ports 1-65535, e.g. \"5432:5432\"");
                continue;
            }

            result.Add(port);
            service.HostPorts.Add((port.HostPort, item.Location));
        }

        return result.ToEquatableArray();
    }

    private static PortSpec? ParsePortMapping(string text)
    {
        var parts = text.Split(':');
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var host) && host is >= 1 and <= 65535
            && int.TryParse(parts[parts.Length - 1], NumberStyles.None, CultureInfo.InvariantCulture, out var container) && container is >= 1 and <= 65535)
        {
            return new PortSpec(host, container);
        }

        return null;
    }

    private static EquatableArray<string> BindCapabilities(TableReader r)
    {
        var list = r.StringList("cap_add", "cap_add = [\"NET_BIND_SERVICE\"]");
        if (list is null)
        {
            return EquatableArray<string>.Empty;
        }

        var result = new List<string>();
        foreach (var (name, location) in list)
        {
            var normalized = name.ToUpperInvariant();
            normalized = normalized.StartsWith("CAP_", StringComparison.Ordinal) ? normalized.Substring(4) : normalized;

            // As docker run --cap-add ALL: every capability the host can give (the runtime works out which).
            if (normalized != "ALL" && Array.IndexOf(s_capabilities, normalized) < 0)
            {
                r.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, location, r.PathOf("cap_add"), $"'{name}' is not a Linux capability (nor ALL){Suggestions.DidYouMean(normalized, s_capabilities)}");
                continue;
            }

            if (!result.Contains(normalized))
            {
                result.Add(normalized);
            }
        }

        return result.ToEquatableArray();
    }

    public static long? Duration(TableReader r, string key)
    {
        var text = r.String(key, $"{key} = \"10s\"");
        if (text is null)
        {
            return null;
        }

        if (ValueParsers.TryParseDuration(text, out var ms))
        {
            return ms;
        }

        r.Diagnostics.Report(DiagnosticDescriptors.InvalidDuration, r.Entry(key)!.Value.Location, text, r.PathOf(key));
        return null;
    }

    private static EquatableArray<string> Strings(List<(string Value, SourceLocation Location)>? list) =>
        list is null ? EquatableArray<string>.Empty : list.Select(i => i.Value).ToEquatableArray();

    /// <summary>The text .NET configuration and environment variables would hold for a scalar.</summary>
    public static string? ScalarText(TomlNode node) => node is TomlScalarNode scalar
        ? scalar.Value switch
        {
            string s => s,
            bool b => b ? "true" : "false",
            long l => l.ToString(CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            var other => Convert.ToString(other, CultureInfo.InvariantCulture),
        }
        : null;

    /// <summary>"on-failure" → "OnFailure": the Berth.Host enum member name.</summary>
    public static string Pascal(string value) => Identifiers.ToPascalCase(value);
}
