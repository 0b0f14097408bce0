using System.Reflection;

namespace Berth.Benchmarks.StackStart.Workloads;

/// <summary>
/// The projects the contenders run, in this project's <c>Workload/</c> folder: five service projects (Svc1 … Svc5:
/// five assemblies of the same trivial program), the Berth stack of the five (a stack project: stack.toml and a
/// csproj) and the Aspire app host of the five. All built in Release, where each run finds its output.
/// </summary>
internal sealed class Workload
{
    public const int ServiceCount = 5;

    public const string Configuration = "Release";

    private Workload(string directory) => Directory = directory;

    public string Directory { get; }

    public static Workload Find()
    {
        var directory = typeof(Workload).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "StackStartWorkload")?.Value;
        return directory is not null && System.IO.Directory.Exists(directory)
            ? new Workload(directory)
            : throw new BenchSetupException($"The workload projects are not where the build put them ({directory ?? "no path recorded"}): run the benchmark from a clone of the repository.");
    }

    /// <summary>svc1 … svc5: the services' names in the stack, their routes and the Aspire resources.</summary>
    public static IReadOnlyList<string> ServiceNames { get; } = [.. Enumerable.Range(1, ServiceCount).Select(i => $"svc{i}")];

    public string ServiceProject(int index) => Path.Combine(Directory, "Services", $"Svc{index + 1}", $"Svc{index + 1}.csproj");

    /// <summary>A service's built entry assembly, which the floor runs as <c>dotnet SvcN.dll</c>.</summary>
    public string ServiceAssembly(int index) => Output(Path.Combine("Services", $"Svc{index + 1}"), $"Svc{index + 1}.dll");

    public string BerthStackProject => Path.Combine(Directory, "BerthStack", "BerthStack.csproj");

    public string BerthStackAssembly => Output("BerthStack", "BerthStack.dll");

    public string AspireAppHostProject => Path.Combine(Directory, "AspireAppHost", "AspireAppHost.csproj");

    public string AspireAppHostAssembly => Output("AspireAppHost", "AspireAppHost.dll");

    private string Output(string project, string assembly) => Path.Combine(Directory, project, "bin", Configuration, "net10.0", assembly);
}
