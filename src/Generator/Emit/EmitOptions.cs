namespace Berth.Generator.Emit;

/// <summary>What the consuming project decides about the generated code.</summary>
/// <param name="Namespace">The project's RootNamespace, or null for the global namespace.</param>
/// <param name="EmitMain">True when the project is an executable without an entry point of its own.</param>
internal sealed record EmitOptions(string? Namespace, bool EmitMain);
