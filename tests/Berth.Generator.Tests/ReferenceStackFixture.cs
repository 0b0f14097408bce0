namespace Berth.Generator.Tests;

/// <summary>The annotated reference stack.toml at the repository root, compiled once for a test class.</summary>
public sealed class ReferenceStackFixture() : CompiledStack(TestPaths.RepoRoot, "Shop.ShopStack");
