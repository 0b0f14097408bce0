using System;
using System.Collections.Generic;
using System.Linq;
using Berth.Generator.Model;

namespace Berth.Generator.Parsing;

/// <summary>The checks across services of one environment: sources, references, cycles, ports, routes, files.</summary>
internal sealed class StackValidator
{
    private readonly EnvironmentDiagnostics _diagnostics;
    private readonly string _sourceDirectory;
    private readonly ISet<string>? _existingFiles;

    public StackValidator(EnvironmentDiagnostics diagnostics, string sourceDirectory, ISet<string>? existingFiles)
    {
        _diagnostics = diagnostics;
        _sourceDirectory = sourceDirectory;
        _existingFiles = existingFiles;
    }

    public void Validate(IReadOnlyList<BoundService> services, IReadOnlyList<string> secretNames, GatewaySpec gateway)
    {
        var serviceNames = services.Select(s => s.Name).ToList();
        var knownServices = new HashSet<string>(serviceNames, StringComparer.Ordinal);
        var knownSecrets = new HashSet<string>(secretNames, StringComparer.Ordinal);
        foreach (var service in services)
        {
            CheckSource(service);
            foreach (var (name, _, location) in service.Dependencies)
            {
                if (!knownServices.Contains(name))
                {
                    _diagnostics.Report(DiagnosticDescriptors.UnknownService, location, name, $"services.{service.Name}.depends_on", Suggestions.DidYouMean(name, serviceNames));
                }
            }

            foreach (var (name, location) in service.Secrets)
            {
                if (!knownSecrets.Contains(name))
                {
                    _diagnostics.Report(DiagnosticDescriptors.UnknownSecret, location, name, $"services.{service.Name}.secrets", Suggestions.DidYouMean(name, secretNames));
                }
            }
        }

        CheckCycles(services);
        CheckHostPorts(services, gateway);
        CheckRoutes(services);
    }

    public void CheckSecretFile(string secret, string file, SourceLocation location)
    {
        if (_existingFiles is null)
        {
            return;
        }

        var full = ExistingFiles.Resolve(_sourceDirectory, file);
        if (full is null || !_existingFiles.Contains(full))
        {
            _diagnostics.Report(DiagnosticDescriptors.SecretFileNotFound, location, file, secret, full ?? file);
        }
    }

    private void CheckSource(BoundService service)
    {
        if (service.ProjectLocation is null && service.ImageLocation is null)
        {
            _diagnostics.Report(DiagnosticDescriptors.ServiceWithoutSource, service.NameLocation, service.Name);
        }
        else if (service.ProjectLocation is not null && service.ImageLocation is { } imageLocation)
        {
            _diagnostics.Report(DiagnosticDescriptors.ServiceWithTwoSources, imageLocation, service.Name);
        }
        else if (service.Spec.Image is { } image && service.ImageLocation is { } location)
        {
            CheckImage(service.Name, image, location);
        }
        else if (service.Spec.Project is { } project && _existingFiles is not null)
        {
            var full = ExistingFiles.Resolve(_sourceDirectory, project);
            if (full is null || !_existingFiles.Contains(full))
            {
                _diagnostics.Report(DiagnosticDescriptors.ProjectNotFound, service.ProjectLocation!.Value, project, service.Name, full ?? project);
            }
        }
    }

    /// <summary>
    /// An image that names an existing directory (the build lists those) is one, whatever its name looks like; one
    /// written as a path must exist; anything else must be a valid <c>oci:</c>, <c>oci-archive:</c> or registry
    /// reference. Without the build's list (a design-time build) only the syntax is checked.
    /// </summary>
    private void CheckImage(string service, string image, SourceLocation location)
    {
        var directory = ImageSyntax.DirectoryPath(image) is { } path ? ExistingFiles.Resolve(_sourceDirectory, path) : null;
        if (directory is not null && _existingFiles is not null && _existingFiles.Contains(directory))
        {
            return;
        }

        if (ImageSyntax.IsExplicitPath(image))
        {
            if (_existingFiles is not null)
            {
                _diagnostics.Report(DiagnosticDescriptors.ImageDirectoryNotFound, location, image, service, directory ?? image);
            }
        }
        else if (ImageSyntax.Problem(image) is { } problem)
        {
            _diagnostics.Report(DiagnosticDescriptors.InvalidValue, location, $"services.{service}.image", problem);
        }
    }

    /// <summary>
    /// Depth-first search in declaration order, so the same stack always names the same cycle. Iterative: a chain
    /// of thousands of services must not overflow the compiler's stack.
    /// </summary>
    private void CheckCycles(IReadOnlyList<BoundService> services)
    {
        var byName = services.ToDictionary(s => s.Name);
        var state = new Dictionary<string, int>(); // 1: on the current path, 2: done
        var path = new List<string>();
        var pending = new List<(BoundService Service, int Next)>();
        foreach (var root in services)
        {
            if (state.ContainsKey(root.Name))
            {
                continue;
            }

            Enter(root);
            while (pending.Count > 0)
            {
                var (service, next) = pending[pending.Count - 1];
                if (next == service.Dependencies.Count)
                {
                    pending.RemoveAt(pending.Count - 1);
                    path.RemoveAt(path.Count - 1);
                    state[service.Name] = 2;
                    continue;
                }

                pending[pending.Count - 1] = (service, next + 1);
                var (name, _, location) = service.Dependencies[next];
                if (!byName.TryGetValue(name, out var dependency))
                {
                    continue;
                }

                state.TryGetValue(name, out var dependencyState);
                if (dependencyState == 1)
                {
                    var cycle = path.Skip(path.IndexOf(name)).Concat(new[] { name });
                    _diagnostics.Report(DiagnosticDescriptors.DependencyCycle, location, string.Join(" → ", cycle));
                }
                else if (dependencyState == 0)
                {
                    Enter(dependency);
                }
            }
        }

        void Enter(BoundService service)
        {
            state[service.Name] = 1;
            path.Add(service.Name);
            pending.Add((service, 0));
        }
    }

    private void CheckHostPorts(IReadOnlyList<BoundService> services, GatewaySpec gateway)
    {
        var owners = new Dictionary<int, string> { [gateway.Port] = "the gateway" };
        foreach (var service in services)
        {
            foreach (var (port, location) in service.HostPorts)
            {
                if (owners.TryGetValue(port, out var owner))
                {
                    _diagnostics.Report(DiagnosticDescriptors.DuplicateHostPort, location, port.ToString(System.Globalization.CultureInfo.InvariantCulture), owner);
                }
                else
                {
                    owners[port] = $"service '{service.Name}'";
                }
            }
        }
    }

    private void CheckRoutes(IReadOnlyList<BoundService> services)
    {
        var owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var service in services)
        {
            foreach (var (route, location) in service.Routes)
            {
                if (owners.TryGetValue(route, out var owner))
                {
                    _diagnostics.Report(DiagnosticDescriptors.OverlappingRoute, location, route, owner);
                }
                else
                {
                    owners[route] = service.Name;
                }
            }
        }
    }
}
