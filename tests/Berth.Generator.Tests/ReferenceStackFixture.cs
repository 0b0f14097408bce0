using System.Reflection;
using System.Runtime.Loader;
using Berth.Generator.Parsing;
using Berth.Generator.Toml;
using Berth.Host;
using Microsoft.CodeAnalysis;

namespace Berth.Generator.Tests;

/// <summary>
/// Reads the root stack.toml once, runs the generator on it with the list of referenced files that really exist,
/// and loads the compiled result into a collectible context to resolve its environments.
/// </summary>
public sealed class ReferenceStackFixture : IDisposable
{
    private readonly AssemblyLoadContext _context = new("ReferenceStack", isCollectible: true);

    public ReferenceStackFixture()
    {
        RootDirectory = TestPaths.RepoRoot;
        var path = Path.Combine(RootDirectory, StackGenerator.StackFileName);
        var text = File.ReadAllText(path);
        var errors = new List<(Model.SourceLocation Location, string Message)>();
        Tree = TomlTreeReader.Read(text, errors) ?? throw new InvalidOperationException($"{path} is not valid TOML: {string.Join("; ", errors.Select(e => e.Message))}");

        var existing = ExistingFiles.ReferencedPaths(Tree)
            .Select(p => ExistingFiles.Resolve(RootDirectory, p))
            .OfType<string>()
            .Where(File.Exists)
            .Distinct()
            .ToList();
        Outcome = GeneratorHarness.Run(text, path, existing);

        using var image = new MemoryStream();
        var emit = Outcome.Output.Emit(image);
        if (!emit.Success)
        {
            throw new InvalidOperationException("The reference stack does not compile: " + string.Join("; ", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        image.Position = 0;
        Assembly = _context.LoadFromStream(image);
        StackType = Assembly.GetType("Shop.ShopStack") ?? throw new InvalidOperationException("The generated assembly has no Shop.ShopStack.");
        Descriptor = (StackDescriptor)StackType.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
    }

    /// <summary>The repository root: the directory holding the root stack.toml.</summary>
    public string RootDirectory { get; }

    internal TomlTableNode Tree { get; }

    internal GeneratorOutcome Outcome { get; }

    public Assembly Assembly { get; }

    public Type StackType { get; }

    public StackDescriptor Descriptor { get; }

    public IEnumerable<string> Environments => Descriptor.Environments.Select(e => e.Name);

    /// <summary>The definition the generated code builds for <paramref name="environment"/>.</summary>
    public StackDefinition Resolve(string environment) => Descriptor.Resolve(environment);

    public void Dispose() => _context.Unload();
}
