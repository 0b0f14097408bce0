using Berth.Runtime.Tests;

namespace Berth.Export.Tests;

/// <summary>A theory that needs an outside tool, with <see cref="RequiresToolFactAttribute"/>'s rule: skipped where it is missing, except under <c>CI=true</c>, where it fails.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresToolTheoryAttribute : TheoryAttribute
{
    public RequiresToolTheoryAttribute(string tool, string package)
    {
        Tool = tool;
        Package = package;
        Skip = RequiredTool.SkipReason(tool, package);
    }

    public string Tool { get; }

    public string Package { get; }
}
