using System.Reflection;
using System.Runtime.Loader;
using Berth.Generator.Parsing;
using Berth.Generator.Toml;
using Berth.Host;
using Microsoft.CodeAnalysis;

namespace Berth.Generator.Tests;

/// <summary>
/// A stack project's stack.toml compiled as its build compiles it: read once, run through the generator with the list
/// of referenced files that really exist (what the build's ResolveStackFiles task gives it) and the project's root
/// namespace, and loaded into a collectible context to resolve its environments.
/// </summary>
public class CompiledStack : IDisposable
{
    private readonly AssemblyLoadContext _context;

    /// <param name="rootDirectory">The stack project's directory, the one holding stack.toml.</param>
    /// <param name="stackType">The generated stack type's full name: the project's root namespace and the stack's name.</param>
    public CompiledStack(string rootDirectory, string stackType)
    {
        RootDirectory = rootDirectory;
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
        Outcome = GeneratorHarness.Run(text, path, existing, rootNamespace: stackType[..stackType.LastIndexOf('.')]);

        using var image = new MemoryStream();
        var emit = Outcome.Output.Emit(image);
        if (!emit.Success)
        {
            throw new InvalidOperationException($"{path} does not compile: " + string.Join("; ", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        image.Position = 0;
        _context = new AssemblyLoadContext(stackType, isCollectible: true);
        Assembly = _context.LoadFromStream(image);
        StackType = Assembly.GetType(stackType) ?? throw new InvalidOperationException($"The assembly generated from {path} has no {stackType}.");
        Descriptor = (StackDescriptor)StackType.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
    }

    /// <summary>The directory holding stack.toml.</summary>
    public string RootDirectory { get; }

    internal TomlTableNode Tree { get; }

    internal GeneratorOutcome Outcome { get; }

    public Assembly Assembly { get; }

    public Type StackType { get; }

    public StackDescriptor Descriptor { get; }

    public IEnumerable<string> Environments => Descriptor.Environments.Select(e => e.Name);

    /// <summary>The definition the generated code builds for <paramref name="environment"/>.</summary>
    public StackDefinition Resolve(string environment) => Descriptor.Resolve(environment);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _context.Unload();
        }
    }
}
