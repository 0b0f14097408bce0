namespace Berth.Runtime.Tests;

/// <summary>
/// A fact that needs an outside tool. Where the tool is missing it is skipped with the reason, except under
/// <c>CI=true</c>, where it runs and fails with a clear message (<see cref="RequiredTool.Find"/>): CI installs the
/// tool, so a missing one there is a broken <c>.ci/run</c>, not a reason to pass.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresToolFactAttribute : FactAttribute
{
    public RequiresToolFactAttribute(string tool, string package)
    {
        Tool = tool;
        Package = package;
        Skip = RequiredTool.SkipReason(tool, package);
    }

    public string Tool { get; }

    public string Package { get; }
}
