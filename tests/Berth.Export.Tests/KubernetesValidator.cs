using Berth.Generator.Tests;
using Berth.Runtime.Tests;

namespace Berth.Export.Tests;

/// <summary>
/// The Kubernetes schema check: KubernetesValidation/validate.mjs run by node with the npm package kubernetes-models,
/// whose validators are generated from the Kubernetes API's OpenAPI definitions. <c>.ci/run</c> installs it with
/// <c>npm ci</c>.
/// </summary>
internal static class KubernetesValidator
{
    public static string Directory => Path.Combine(TestPaths.RepoRoot, "tests", "Berth.Export.Tests", "KubernetesValidation");

    public static string InstallCommand => $"npm ci --prefix {Path.GetRelativePath(TestPaths.RepoRoot, Directory)}";

    public static bool IsInstalled => RequiredTool.Locate("node") is not null && System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "kubernetes-models"));

    /// <summary>Why a test that needs the check is skipped: null where it is installed, or under <c>CI=true</c>, where the test runs and fails.</summary>
    public static string? SkipReason => !IsInstalled && !RequiredTool.IsCi
        ? $"The Kubernetes schema check is not installed (node and `{InstallCommand}`); under CI=true this test fails instead."
        : null;

    public static Task<ToolProcess.Result> ValidateAsync(IEnumerable<string> files)
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException($"The Kubernetes schema check is required and missing{(RequiredTool.IsCi ? " under CI=true" : "")}: install node (Debian: apt-get install nodejs) and run `{InstallCommand}`; .ci/run does.");
        }

        return ToolProcess.RunAsync(RequiredTool.Locate("node")!, ["validate.mjs", .. files], Directory);
    }
}

/// <summary>A fact that needs <see cref="KubernetesValidator"/>: skipped where it is not installed, except under <c>CI=true</c>, where it fails.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresKubernetesValidatorFactAttribute : FactAttribute
{
    public RequiresKubernetesValidatorFactAttribute() => Skip = KubernetesValidator.SkipReason;
}

/// <summary>A theory that needs <see cref="KubernetesValidator"/>, with the rule of <see cref="RequiresKubernetesValidatorFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequiresKubernetesValidatorTheoryAttribute : TheoryAttribute
{
    public RequiresKubernetesValidatorTheoryAttribute() => Skip = KubernetesValidator.SkipReason;
}
