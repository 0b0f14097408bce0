using BenchmarkDotNet.Attributes;
using Berth.Benchmarks.Workloads;
using Berth.Generator.Emit;
using Berth.Generator.Model;
using Berth.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace Berth.Benchmarks;

/// <summary>
/// The stack.toml generator on a 200-service stack, cold and incremental, next to the System.Text.Json source
/// generator on 200 settings classes driven the same way. Each category's baseline is the System.Text.Json run.
/// </summary>
[Config(typeof(GeneratorBenchmarkConfig))]
[CategoriesColumn]
public class GeneratorBenchmarks
{
    private const string Cold = "Cold";
    private const string UnrelatedEdit = "No-op: unrelated edit";
    private const string Unchanged = "No-op: unchanged";
    private const string Parts = "Berth parts";

    private Workload _berth = null!;
    private Workload _json = null!;
    private GeneratorDriver _berthWarm = null!;
    private GeneratorDriver _jsonWarm = null!;
    private string _stackToml = null!;
    private HashSet<string> _existingFiles = null!;
    private StackModel _model = null!;
    private EmitOptions _emitOptions = null!;

    [GlobalSetup]
    public void Setup()
    {
        _stackToml = FleetStack.Create(Workload.Size);
        _existingFiles = new HashSet<string>(FleetStack.ExistingFiles(Workload.Size), StringComparer.Ordinal);
        _berth = Workload.Berth(_stackToml);
        _json = Workload.SystemTextJson(Roslyn.LoadSystemTextJsonGenerator(out _));

        // The warm drivers have run once on the compilation; the no-op benchmarks measure only the run after that.
        _berthWarm = _berth.RunAndValidate(allowInfo: false);
        _jsonWarm = _json.RunAndValidate(allowInfo: true);

        var parsed = StackParser.Parse(FleetStack.Path, _stackToml, _existingFiles);
        _model = parsed.Model ?? throw new InvalidOperationException(
            $"The fleet stack does not parse: {string.Join(Environment.NewLine, parsed.Diagnostics.Select(d => d.ToDiagnostic(FleetStack.Path).ToString()))}");

        // The options the generator derives for this project: its namespace, and Main since it has none.
        _emitOptions = new EmitOptions(FleetStack.RootNamespace, EmitMain: true);
    }

    /// <summary>A new driver (as for a first build) on a new compilation of the same syntax trees.</summary>
    [Benchmark(Description = "Berth: cold run")]
    [BenchmarkCategory(Cold)]
    public GeneratorDriver BerthCold() => _berth.CreateDriver().RunGenerators(_berth.Compilation.Clone());

    [Benchmark(Baseline = true, Description = "STJ: cold run")]
    [BenchmarkCategory(Cold)]
    public GeneratorDriver JsonCold() => _json.CreateDriver().RunGenerators(_json.Compilation.Clone());

    /// <summary>The run after editing a C# file no generator reads.</summary>
    [Benchmark(Description = "Berth: no-op, unrelated C# edit")]
    [BenchmarkCategory(UnrelatedEdit)]
    public GeneratorDriver BerthUnrelatedEdit() => _berthWarm.RunGenerators(_berth.Edit());

    [Benchmark(Baseline = true, Description = "STJ: no-op, unrelated C# edit")]
    [BenchmarkCategory(UnrelatedEdit)]
    public GeneratorDriver JsonUnrelatedEdit() => _jsonWarm.RunGenerators(_json.Edit());

    /// <summary>The run on the very compilation the driver last saw.</summary>
    [Benchmark(Description = "Berth: no-op, nothing changed")]
    [BenchmarkCategory(Unchanged)]
    public GeneratorDriver BerthUnchanged() => _berthWarm.RunGenerators(_berth.Compilation);

    [Benchmark(Baseline = true, Description = "STJ: no-op, nothing changed")]
    [BenchmarkCategory(Unchanged)]
    public GeneratorDriver JsonUnchanged() => _jsonWarm.RunGenerators(_json.Compilation);

    /// <summary>stack.toml text to model and diagnostics, without Roslyn's driver.</summary>
    [Benchmark(Description = "Berth: parse only")]
    [BenchmarkCategory(Parts)]
    public object BerthParse() => StackParser.Parse(FleetStack.Path, _stackToml, _existingFiles);

    /// <summary>Model to C# text, without Roslyn's driver.</summary>
    [Benchmark(Description = "Berth: emit only")]
    [BenchmarkCategory(Parts)]
    public string BerthEmit() => StackEmitter.Emit(_model, _emitOptions);

    /// <summary>What the edit benchmarks spend outside the generators: making the edited compilation.</summary>
    [Benchmark(Description = "Harness: the C# edit alone")]
    [BenchmarkCategory(Parts)]
    public Compilation EditAlone() => _berth.Edit();
}
