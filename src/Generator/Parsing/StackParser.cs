using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Berth.Generator.Model;
using Berth.Generator.Toml;

namespace Berth.Generator.Parsing;

/// <summary>The result of parsing one stack.toml: a model to emit (null when there are errors) and diagnostics.</summary>
internal sealed record ParseResult(string Path, StackModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>
/// stack.toml → <see cref="StackModel"/>: reads the TOML, checks the base, merges each environment's overlay and
/// binds and validates the result per environment. Pure: the same text and file list give the same result.
/// </summary>
internal static class StackParser
{
    public const string DefaultEnvironmentName = "dev";

    internal static readonly string[] s_rootKeys = { "stack", "gateway", "services", "secrets", "environments" };
    internal static readonly string[] s_stackKeys = { "name", "environment" };
    internal static readonly string[] s_gatewayKeys = { "port", "bind" };
    internal static readonly string[] s_secretKeys = { "file", "env", "user_secret" };
    internal static readonly string[] s_environmentKeys = { "dotnet_environment", "gateway", "services", "secrets" };

    /// <summary>
    /// Members of the generated stack class that a service may not shadow. Besides these, a service may not take
    /// the name of the stack's environment enum or of an environment's factory (Create + environment).
    /// </summary>
    private static readonly string[] s_reservedMembers =
    {
        "Name", "DefaultEnvironment", "Descriptor", "Definition", "Environment", "Environments", "Resolve",
        "ServiceNames", "SecretNames", "GetEnvironmentName", "ParseEnvironment", "StartAsync", "Equals", "GetHashCode",
        "GetType", "ToString", "ReferenceEquals", "MemberwiseClone",
    };

    /// <summary>
    /// Members of the generated running stack class (<c>RunningXxxStack</c>, a <c>Berth.Host.Testing.RunningStack</c>)
    /// that a service may not shadow, besides those of the stack class. Besides these, a service may not take the
    /// running class's own name.
    /// </summary>
    private static readonly string[] s_reservedRunningMembers =
    {
        "Gateway", "Services", "GetService", "WaitHealthyAsync", "ReplicaChanged", "DisposeAsync",
    };

    /// <summary>
    /// Names a secret constant may not take in the generated SecretNames class: its own name, and the members of
    /// object it would hide (a warning, which TreatWarningsAsErrors makes an error).
    /// </summary>
    private static readonly string[] s_reservedSecretConstants =
    {
        "SecretNames", "Equals", "GetHashCode", "GetType", "ToString", "ReferenceEquals", "MemberwiseClone",
    };

    public static ParseResult Parse(string path, string text, ISet<string>? existingFiles)
    {
        var diagnostics = new DiagnosticBag();
        StackModel? model;
        try
        {
            model = ParseCore(path, text, existingFiles, diagnostics);
        }
        catch (Exception e)
        {
            // The generator must never take the build down; say what happened instead.
            diagnostics.Report(DiagnosticDescriptors.InternalError, SourceLocation.FileStart, $"{e.GetType().Name}: {e.Message}");
            model = null;
        }

        return new ParseResult(path, diagnostics.HasErrors ? null : model, diagnostics.Items.ToEquatableArray());
    }

    private static StackModel? ParseCore(string path, string text, ISet<string>? existingFiles, DiagnosticBag diagnostics)
    {
        var syntaxErrors = new List<(SourceLocation Location, string Message)>();
        var root = TomlTreeReader.Read(text, syntaxErrors);
        if (root is null)
        {
            // Tomlyn parses on after an error, but what it reports next is mostly a consequence of the first
            // ("[services.api" without its ']' also gives errors for the next line); the first is the one to fix.
            if (syntaxErrors.Count > 0)
            {
                diagnostics.Report(DiagnosticDescriptors.SyntaxError, syntaxErrors[0].Location, syntaxErrors[0].Message);
            }

            return null;
        }

        var reader = new TableReader(root, string.Empty, diagnostics, s_rootKeys);
        var (name, nameLocation, requestedDefault) = ReadStackTable(reader);
        var stackIdentifier = name is null ? null : CheckName("Stack", name, nameLocation, diagnostics);

        var services = NamedTables(reader, "services", "Service", "[services.api]\nproject = \"../Api/Api.csproj\"", diagnostics);
        var secrets = NamedTables(reader, "secrets", "Secret", "[secrets.api_key]\nfile = \"secrets/api_key.txt\"", diagnostics);
        var environments = ReadEnvironments(reader, diagnostics);
        CheckServiceIdentifiers(services, stackIdentifier, environments.Select(e => e.Name), diagnostics);
        CheckIdentifierClashes(secrets, "Secret", name => Array.IndexOf(s_reservedSecretConstants, name) >= 0 ? "of the generated SecretNames class" : null, diagnostics);

        // Services that are there but unusable have their own errors; "declares no services" would only confuse.
        if (reader.Entry("services") is not { } servicesEntry || servicesEntry.Value is TomlTableNode { Entries.Count: 0 })
        {
            diagnostics.Report(DiagnosticDescriptors.EmptyStack, reader.Entry("services")?.KeyLocation ?? reader.Entry("stack")?.KeyLocation ?? SourceLocation.FileStart);
        }

        var defaultEnvironment = ChooseDefaultEnvironment(requestedDefault, environments, diagnostics);

        var baseTable = new TomlTableNode(SourceLocation.FileStart);
        foreach (var key in new[] { "gateway", "services", "secrets" })
        {
            if (root.Find(key) is { Value: TomlTableNode } entry)
            {
                baseTable.Set(entry);
            }
        }

        var sourceDirectory = Path.GetDirectoryName(path) ?? string.Empty;
        var serviceNames = services.Select(s => s.Name).ToList();
        var secretNames = secrets.Select(s => s.Name).ToList();
        var declaredServices = new HashSet<string>(serviceNames, StringComparer.Ordinal);
        var declaredSecrets = new HashSet<string>(secretNames, StringComparer.Ordinal);
        var perEnvironment = new EnvironmentDiagnostics();
        var validator = new StackValidator(perEnvironment, sourceDirectory, existingFiles);
        var models = new List<EnvironmentModel>();
        var dotnetNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (environmentName, overlayTable) in environments)
        {
            perEnvironment.BeginEnvironment(environmentName);
            var overlayReader = new TableReader(overlayTable, $"environments.{environmentName}", diagnostics, s_environmentKeys);
            var dotnetName = DotnetEnvironment(overlayReader) ?? DotnetEnvironmentName(environmentName);

            // DOTNET_ENVIRONMENT selects an environment by its .NET name, so two may not share one.
            if (dotnetNames.TryGetValue(dotnetName, out var sharing))
            {
                diagnostics.Report(
                    DiagnosticDescriptors.InvalidValue,
                    overlayReader.Entry("dotnet_environment")?.Value.Location ?? overlayTable.Location,
                    $"environments.{environmentName}.dotnet_environment",
                    $"environment '{sharing}' already has the .NET name '{dotnetName}'; set dotnet_environment to tell them apart");
            }
            else
            {
                dotnetNames[dotnetName] = environmentName;
            }

            var overlay = KnownOverlay(overlayReader, serviceNames, secretNames);
            var merged = Overlay.Merge(baseTable, overlay);
            var mergedReader = new TableReader(merged, string.Empty, diagnostics, s_rootKeys);

            var gateway = BindGateway(mergedReader);
            var boundServices = (mergedReader.SubTable("services", "[services.api]") is { } servicesTable ? servicesTable.Entries : Array.Empty<TomlEntry>())
                .Where(entry => declaredServices.Contains(entry.Key))
                .Select(entry => ServiceBinder.Bind(entry, diagnostics))
                .ToList();
            var boundSecrets = BindSecrets(mergedReader, environmentName, validator, perEnvironment, declaredSecrets.Contains);
            validator.Validate(boundServices, secretNames, gateway);

            models.Add(new EnvironmentModel(
                environmentName,
                Identifiers.ToPascalCase(environmentName),
                dotnetName,
                gateway,
                boundServices.Select(s => s.Spec).ToEquatableArray(),
                boundSecrets.ToEquatableArray()));
        }

        perEnvironment.CopyTo(diagnostics, environments.Count);
        if (name is null || stackIdentifier is null || defaultEnvironment is null)
        {
            return null;
        }

        return new StackModel(
            name,
            stackIdentifier,
            sourceDirectory,
            defaultEnvironment,
            services.Select(s => new NamedItem(s.Name, Identifiers.ToPascalCase(s.Name))).ToEquatableArray(),
            secrets.Select(s => new NamedItem(s.Name, Identifiers.ToPascalCase(s.Name))).ToEquatableArray(),
            models.ToEquatableArray());
    }

    private static (string? Name, SourceLocation Location, (string Name, SourceLocation Location)? Environment) ReadStackTable(TableReader reader)
    {
        const string example = "[stack] with name = \"shop\" at the top of stack.toml";
        var table = reader.SubTable("stack", "[stack]\nname = \"shop\"");
        if (table is null)
        {
            if (reader.Entry("stack") is null)
            {
                reader.Diagnostics.Report(DiagnosticDescriptors.MissingKey, SourceLocation.FileStart, "[stack] name", example);
            }

            return (null, SourceLocation.FileStart, null);
        }

        var stack = new TableReader(table, "stack", reader.Diagnostics, s_stackKeys);
        var name = stack.String("name", "name = \"shop\"");
        if (name is null && stack.Entry("name") is null)
        {
            reader.Diagnostics.Report(DiagnosticDescriptors.MissingKey, reader.Entry("stack")!.KeyLocation, "[stack] name", "name = \"shop\"");
        }

        var environment = stack.String("environment", "environment = \"dev\"");
        return (
            name,
            stack.Entry("name")?.Value.Location ?? table.Location,
            environment is null ? null : (environment, stack.Entry("environment")!.Value.Location));
    }

    /// <summary>The entries of [services] or [secrets]: each must be a table with a usable name.</summary>
    private static List<(string Name, SourceLocation Location)> NamedTables(TableReader reader, string key, string kind, string example, DiagnosticBag diagnostics)
    {
        var result = new List<(string, SourceLocation)>();
        var table = reader.SubTable(key, example);
        if (table is null)
        {
            return result;
        }

        foreach (var entry in table.Entries)
        {
            if (entry.Value is not TomlTableNode)
            {
                diagnostics.Report(DiagnosticDescriptors.WrongType, entry.Value.Location, $"{key}.{entry.Key}", "a table", entry.Value.Description, example);
                continue;
            }

            if (CheckName(kind, entry.Key, entry.KeyLocation, diagnostics) is not null)
            {
                result.Add((entry.Key, entry.KeyLocation));
            }
        }

        return result;
    }

    private static string? CheckName(string kind, string name, SourceLocation location, DiagnosticBag diagnostics)
    {
        if (!Identifiers.IsValidName(name, out var reason))
        {
            diagnostics.Report(DiagnosticDescriptors.InvalidName, location, kind, name, reason);
            return null;
        }

        return Identifiers.ToPascalCase(name);
    }

    private static void CheckServiceIdentifiers(List<(string Name, SourceLocation Location)> services, string? stackIdentifier, IEnumerable<string> environments, DiagnosticBag diagnostics)
    {
        var factories = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var environment in environments)
        {
            factories[$"Create{Identifiers.ToPascalCase(environment)}"] = environment;
        }

        CheckIdentifierClashes(services, "Service", identifier =>
            Array.IndexOf(s_reservedMembers, identifier) >= 0
                || (stackIdentifier is not null && (identifier == $"{stackIdentifier}Stack" || identifier == $"{stackIdentifier}Environment"))
                ? "of the generated stack class"
                : factories.TryGetValue(identifier, out var environment)
                    ? $"of the generated stack class (the factory of environment '{environment}')"
                    : Array.IndexOf(s_reservedRunningMembers, identifier) >= 0 || (stackIdentifier is not null && identifier == $"Running{stackIdentifier}Stack")
                        ? $"of the generated running stack class{(stackIdentifier is null ? string.Empty : $" (Running{stackIdentifier}Stack)")}"
                        : null,
            diagnostics);
    }

    /// <summary>
    /// Two names that become one identifier ("order-db" and "order_db"), or one that <paramref name="reservedBy"/>
    /// says is taken by a generated member (it returns whose, or null).
    /// </summary>
    private static void CheckIdentifierClashes(List<(string Name, SourceLocation Location)> items, string kind, Func<string, string?> reservedBy, DiagnosticBag diagnostics)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var (name, location) = items[i];
            var identifier = Identifiers.ToPascalCase(name);
            string? problem = null;
            if (seen.TryGetValue(identifier, out var other))
            {
                problem = $"it becomes the C# name '{identifier}', as '{other}' does; rename one of them";
            }
            else if (reservedBy(identifier) is { } owner)
            {
                problem = $"its C# name '{identifier}' is taken by a member {owner}; rename the {kind.ToLowerInvariant()}";
            }

            if (problem is not null)
            {
                diagnostics.Report(DiagnosticDescriptors.InvalidName, location, kind, name, problem);
                items.RemoveAt(i--);
                continue;
            }

            seen[identifier] = name;
        }
    }

    private static List<(string Name, TomlTableNode Overlay)> ReadEnvironments(TableReader reader, DiagnosticBag diagnostics)
    {
        var result = new List<(string, TomlTableNode)>();
        if (reader.SubTable("environments", "[environments.prod]") is { } table)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in table.Entries)
            {
                if (entry.Value is not TomlTableNode overlay)
                {
                    diagnostics.Report(DiagnosticDescriptors.WrongType, entry.Value.Location, $"environments.{entry.Key}", "a table", entry.Value.Description, $"[environments.{entry.Key}]");
                    continue;
                }

                if (CheckName("Environment", entry.Key, entry.KeyLocation, diagnostics) is { } identifier)
                {
                    if (!seen.Add(identifier))
                    {
                        diagnostics.Report(DiagnosticDescriptors.InvalidName, entry.KeyLocation, "Environment", entry.Key, $"it becomes the C# name '{identifier}' as another environment does; rename one of them");
                        continue;
                    }

                    result.Add((entry.Key, overlay));
                }
            }
        }

        if (result.Count == 0)
        {
            // A stack without [environments] has one: dev, the one a developer runs.
            result.Add((DefaultEnvironmentName, new TomlTableNode(SourceLocation.FileStart)));
        }

        return result;
    }

    private static string? ChooseDefaultEnvironment((string Name, SourceLocation Location)? requested, List<(string Name, TomlTableNode Overlay)> environments, DiagnosticBag diagnostics)
    {
        var names = environments.Select(e => e.Name).ToList();
        if (requested is { } r)
        {
            if (names.Contains(r.Name))
            {
                return r.Name;
            }

            diagnostics.Report(DiagnosticDescriptors.UnknownEnvironment, r.Location, r.Name, string.Join(", ", names) + Suggestions.DidYouMean(r.Name, names));
            return null;
        }

        return names.Contains(DefaultEnvironmentName) ? DefaultEnvironmentName : names[0];
    }

    /// <summary>The overlay without entries for services or secrets the base does not declare (reported here).</summary>
    private static TomlTableNode KnownOverlay(TableReader overlayReader, List<string> serviceNames, List<string> secretNames)
    {
        var result = new TomlTableNode(overlayReader.Table.Location);
        if (overlayReader.SubTable("gateway", "[environments.prod.gateway]") is { } gateway)
        {
            CheckOverlayKeys(gateway, overlayReader.PathOf("gateway"), s_gatewayKeys, overlayReader.Diagnostics);
            result.Set(overlayReader.Entry("gateway")!);
        }

        foreach (var (section, names, descriptor) in new[] { ("services", serviceNames, DiagnosticDescriptors.UnknownService), ("secrets", secretNames, DiagnosticDescriptors.UnknownSecret) })
        {
            var entry = overlayReader.Entry(section);
            if (overlayReader.SubTable(section, $"[{overlayReader.PathOf(section)}.NAME]") is not { } table)
            {
                continue;
            }

            var known = new TomlTableNode(table.Location);
            foreach (var item in table.Entries)
            {
                if (names.Contains(item.Key))
                {
                    if (item.Value is TomlTableNode itemTable)
                    {
                        CheckOverlayKeys(itemTable, $"{overlayReader.PathOf(section)}.{item.Key}", section == "services" ? ServiceBinder.Keys : s_secretKeys, overlayReader.Diagnostics);
                    }

                    known.Set(item);
                }
                else
                {
                    overlayReader.Diagnostics.Report(descriptor, item.KeyLocation, item.Key, overlayReader.PathOf(section), Suggestions.DidYouMean(item.Key, names), string.Empty);
                }
            }

            result.Set(new TomlEntry(section, entry!.KeyLocation, known));
        }

        return result;
    }

    /// <summary>
    /// Reports unknown keys of an overlay table under the overlay's own name; binding the merged table later finds
    /// the same keys at the same places, and the bag keeps this first, more precise report.
    /// </summary>
    private static void CheckOverlayKeys(TomlTableNode table, string path, string[] keys, DiagnosticBag diagnostics) =>
        _ = new TableReader(table, path, diagnostics, keys);

    private static GatewaySpec BindGateway(TableReader reader)
    {
        var table = reader.SubTable("gateway", "[gateway]\nport = 8080");
        if (table is null)
        {
            return new GatewaySpec("127.0.0.1", 8080);
        }

        var gateway = new TableReader(table, "gateway", reader.Diagnostics, s_gatewayKeys);
        var port = gateway.IntegerInRange("port", 1, 65535, "port = 8080") ?? 8080;
        var bind = gateway.String("bind", "bind = \"127.0.0.1\"") ?? "127.0.0.1";
        if (!System.Net.IPAddress.TryParse(bind, out _))
        {
            reader.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, gateway.Entry("bind")!.Value.Location, "gateway.bind", $"'{bind}' is not an IP address; use \"127.0.0.1\" (this machine only) or \"0.0.0.0\" (all interfaces)");
        }

        return new GatewaySpec(bind, port);
    }

    private static List<SecretSpec> BindSecrets(TableReader reader, string environmentName, StackValidator validator, EnvironmentDiagnostics perEnvironment, Func<string, bool> isDeclared)
    {
        var result = new List<SecretSpec>();
        if (reader.SubTable("secrets", "[secrets.api_key]") is not { } table)
        {
            return result;
        }

        foreach (var entry in table.Entries)
        {
            if (!isDeclared(entry.Key))
            {
                continue;
            }

            if (entry.Value is not TomlTableNode secretTable)
            {
                // Only an overlay can get here ([secrets] itself admits tables only): it replaced the secret.
                var path = $"environments.{environmentName}.secrets.{entry.Key}";
                reader.Diagnostics.Report(DiagnosticDescriptors.WrongType, entry.Value.Location, path, "a table", entry.Value.Description, $"[{path}]\nenv = \"VARIABLE\"");
                continue;
            }

            var secret = new TableReader(secretTable, $"secrets.{entry.Key}", reader.Diagnostics, s_secretKeys);
            var sources = s_secretKeys
                .Where(key => secret.Entry(key) is not null)
                .Select(key => (Key: key, Value: secret.String(key, $"{key} = \"...\"")))
                .ToList();
            if (sources.Count == 0)
            {
                perEnvironment.Report(DiagnosticDescriptors.SecretWithoutSource, entry.KeyLocation, entry.Key);
                continue;
            }

            if (sources.Count > 1)
            {
                perEnvironment.Report(DiagnosticDescriptors.SecretWithTwoSources, secret.Entry(sources[1].Key)!.KeyLocation, entry.Key, sources[0].Key, sources[1].Key);
                continue;
            }

            var (key, value) = sources[0];
            if (value is null)
            {
                continue;
            }

            if (value.Trim().Length == 0)
            {
                reader.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, secret.Entry(key)!.Value.Location, secret.PathOf(key), "it is empty");
                continue;
            }

            if (key == "env" && (value.IndexOf('=') >= 0 || value.IndexOf('\0') >= 0))
            {
                reader.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, secret.Entry(key)!.Value.Location, secret.PathOf(key), $"'{value}' cannot name an environment variable: it holds '=' or NUL");
                continue;
            }

            if (key == "file")
            {
                validator.CheckSecretFile(entry.Key, value, secret.Entry(key)!.Value.Location);
            }

            result.Add(new SecretSpec(entry.Key, key == "user_secret" ? "UserSecret" : Identifiers.ToPascalCase(key), value));
        }

        return result;
    }

    /// <summary>
    /// An environment's <c>dotnet_environment</c>. .NET names files after it (appsettings.Staging.json), so it
    /// holds letters, digits, '.', '-' and '_' only.
    /// </summary>
    private static string? DotnetEnvironment(TableReader overlay)
    {
        var name = overlay.String("dotnet_environment", "dotnet_environment = \"Staging\"");
        if (name is null)
        {
            return null;
        }

        foreach (var c in name)
        {
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c is '.' or '-' or '_'))
            {
                overlay.Diagnostics.Report(
                    DiagnosticDescriptors.InvalidValue,
                    overlay.Entry("dotnet_environment")!.Value.Location,
                    overlay.PathOf("dotnet_environment"),
                    $"'{name}' is not a .NET environment name; use ASCII letters, digits, '.', '-' and '_', e.g. \"Staging\"");
                return null;
            }
        }

        if (name.Length == 0)
        {
            overlay.Diagnostics.Report(DiagnosticDescriptors.InvalidValue, overlay.Entry("dotnet_environment")!.Value.Location, overlay.PathOf("dotnet_environment"), "it is empty; for example: dotnet_environment = \"Staging\"");
            return null;
        }

        return name;
    }

    /// <summary>The .NET host environment name for a stack environment, as ASP.NET Core spells the well-known ones.</summary>
    public static string DotnetEnvironmentName(string environment) => environment.ToLowerInvariant() switch
    {
        "dev" or "development" => "Development",
        "prod" or "production" => "Production",
        "stage" or "staging" => "Staging",
        _ => Identifiers.ToPascalCase(environment),
    };
}
