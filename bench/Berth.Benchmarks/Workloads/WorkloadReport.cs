using System.Globalization;
using Berth.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace Berth.Benchmarks.Workloads;

/// <summary>Sizes of both workloads' inputs and outputs, and a full compile of each project with its generated code.</summary>
internal static class WorkloadReport
{
    public static int Print()
    {
        var stackToml = FleetStack.Create(Workload.Size);
        var berth = Workload.Berth(stackToml);
        var json = Workload.SystemTextJson(Roslyn.LoadSystemTextJsonGenerator(out var jsonGeneratorPath));
        Console.WriteLine($"System.Text.Json generator: {jsonGeneratorPath}");

        var parsed = StackParser.Parse(FleetStack.Path, stackToml, new HashSet<string>(FleetStack.ExistingFiles(Workload.Size), StringComparer.Ordinal));
        var model = parsed.Model!;
        Console.WriteLine(
            $"Berth input: stack.toml of {Count(stackToml.Split('\n').Length)} lines, {Count(stackToml.Length)} chars; "
            + $"{model.Services.Count} services, {model.Secrets.Count} secrets, {model.Environments.Count} environments; "
            + $"C# input: {berth.Compilation.SyntaxTrees.Count()} small files");
        Console.WriteLine(
            $"System.Text.Json input: {json.Compilation.SyntaxTrees.Count()} C# files, {Count(json.Compilation.SyntaxTrees.Sum(t => t.Length))} chars, "
            + $"{Workload.Size} settings classes listed in one JsonSerializerContext");

        var ok = true;
        foreach (var workload in new[] { berth, json })
        {
            var driver = workload.RunAndValidate(allowInfo: workload != berth);
            var run = driver.GetRunResult();
            var generatedChars = run.GeneratedTrees.Sum(t => t.Length);
            var generatedLines = run.GeneratedTrees.Sum(t => t.GetText().Lines.Count);
            Console.WriteLine($"{workload.Name} output: {run.GeneratedTrees.Length} files, {Count(generatedLines)} lines, {Count(generatedChars)} chars");

            var output = workload.Compilation.AddSyntaxTrees(run.GeneratedTrees);
            var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Console.WriteLine($"{workload.Name} project with generated code: {(errors.Count == 0 ? "compiles" : $"{errors.Count} errors")}");
            foreach (var error in errors.Take(10))
            {
                Console.WriteLine($"  {error}");
            }

            ok &= errors.Count == 0;
        }

        return ok ? 0 : 1;
    }

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
