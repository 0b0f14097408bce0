using System.Collections.Generic;
using Berth.Generator.Model;

namespace Berth.Generator.Parsing;

/// <summary>A service bound for one environment, with the places of the values the cross-checks point at.</summary>
internal sealed class BoundService
{
    public BoundService(string name, SourceLocation nameLocation)
    {
        Name = name;
        NameLocation = nameLocation;
    }

    public string Name { get; }

    public SourceLocation NameLocation { get; }

    public ServiceSpec Spec { get; set; } = new();

    public SourceLocation? ProjectLocation { get; set; }

    public SourceLocation? ImageLocation { get; set; }

    public List<(string Name, string Condition, SourceLocation Location)> Dependencies { get; } = new();

    public List<(string Name, SourceLocation Location)> Secrets { get; } = new();

    public List<(int Port, SourceLocation Location)> HostPorts { get; } = new();

    public List<(string Route, SourceLocation Location)> Routes { get; } = new();
}
