using System.Collections.Generic;
using System.Linq;
using Berth.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Berth.Generator.Parsing;

/// <summary>
/// Collects diagnostics once per id and place: the same base value is bound once per environment, and its
/// mistakes must still be reported once; where two checks find the same mistake, the first (most precise) wins.
/// </summary>
internal sealed class DiagnosticBag
{
    private readonly List<DiagnosticInfo> _items = new();
    private readonly HashSet<(string Id, SourceLocation Location)> _seen = new();

    public IReadOnlyList<DiagnosticInfo> Items => _items;

    public bool HasErrors => _items.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);

    public void Report(DiagnosticDescriptor descriptor, SourceLocation location, params string[] arguments)
    {
        var info = DiagnosticInfo.Create(descriptor, location, arguments);
        if (_seen.Add((info.Id, info.Location)))
        {
            _items.Add(info);
        }
    }
}

/// <summary>
/// Collects the cross-checks made per environment, then reports each once: plainly when every environment has
/// it, else naming the environments that do. Descriptors used here end their message with that suffix.
/// </summary>
internal sealed class EnvironmentDiagnostics
{
    private readonly List<(DiagnosticDescriptor Descriptor, SourceLocation Location, string[] Arguments, List<string> Environments)> _items = new();
    private readonly Dictionary<DiagnosticInfo, int> _indexes = new();
    private string _environment = string.Empty;

    public void BeginEnvironment(string name) => _environment = name;

    public void Report(DiagnosticDescriptor descriptor, SourceLocation location, params string[] arguments)
    {
        var key = DiagnosticInfo.Create(descriptor, location, arguments);
        if (_indexes.TryGetValue(key, out var index))
        {
            var environments = _items[index].Environments;
            if (!environments.Contains(_environment))
            {
                environments.Add(_environment);
            }

            return;
        }

        _indexes.Add(key, _items.Count);
        _items.Add((descriptor, location, arguments, new List<string> { _environment }));
    }

    public void CopyTo(DiagnosticBag bag, int environmentCount)
    {
        foreach (var (descriptor, location, arguments, environments) in _items)
        {
            var suffix = environments.Count == environmentCount
                ? string.Empty
                : $" (in environment{(environments.Count > 1 ? "s" : "")} {string.Join(", ", environments.Select(e => $"'{e}'"))})";
            bag.Report(descriptor, location, arguments.Concat(new[] { suffix }).ToArray());
        }
    }
}
