using Berth.Generator.Tests;
using Berth.Host;
using Berth.Host.Export;
using Berth.Host.Export.Compose;
using Berth.Host.Export.Kubernetes;

namespace Berth.Export.Tests;

/// <summary>
/// A stack project compiled by the generator, as its build compiles it, and exported for <c>prod</c> to both targets
/// with given options and host variables. Each stack is compiled and exported once per test run, whichever test
/// asks first: <see cref="Reference"/> and <see cref="Shop"/>.
/// </summary>
public sealed class ExportedStack
{
    private static readonly Lazy<ExportedStack> s_reference = new(() => new(
        "reference",
        TestPaths.RepoRoot,
        new Dictionary<string, string> { ["SHOP_PUBLIC_URL"] = "https://shop.example.com" },
        new ExportOptions { Registry = "registry.example.com/shop-team", Tag = "1.4.0", Namespace = "shop" }));

    private static readonly Lazy<ExportedStack> s_shop = new(() => new(
        "shop",
        Path.Combine(TestPaths.RepoRoot, "examples", "shop"),
        new Dictionary<string, string> { ["SHOP_PAYMENTS_API_KEY"] = "prod-payments-key-from-the-host" },
        new ExportOptions()));

    private ExportedStack(string name, string directory, IReadOnlyDictionary<string, string> hostVariables, ExportOptions options)
    {
        Name = name;
        HostVariables = hostVariables;
        // Not disposed: the definitions the descriptor resolves (their delegates too) run the compiled assembly's code.
        Descriptor = new CompiledStack(directory, "Shop.ShopStack").Descriptor;
        Prod = Descriptor.Resolve("prod");
        Options = options with { HostVariable = name => hostVariables.GetValueOrDefault(name) };
        Kubernetes = KubernetesExporter.Export(Prod, Options);
        ComposeFile = Path.Combine(Prod.SourceDirectory, "deploy", "compose.yaml");
        Compose = ComposeExporter.Export(Prod, ComposeFile, Options);
    }

    /// <summary>
    /// The repository's reference stack.toml (every key, a shop of seven services), as <c>export kubernetes -e prod
    /// --namespace shop --registry registry.example.com/shop-team --tag 1.4.0</c> and <c>export compose -e prod -o
    /// deploy/compose.yaml</c> export it, with the host variable prod's PUBLIC_URL needs.
    /// </summary>
    public static ExportedStack Reference => s_reference.Value;

    /// <summary>
    /// The example shop (examples/shop), as <c>export kubernetes -e prod -o DIR</c> and <c>export compose -e prod -o
    /// deploy/compose.yaml</c> export it, with the payments key prod reads from the host set.
    /// </summary>
    public static ExportedStack Shop => s_shop.Value;

    /// <summary>The names theories take: <c>reference</c> or <c>shop</c>.</summary>
    public static ExportedStack Named(string name) => name switch
    {
        "reference" => Reference,
        "shop" => Shop,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "An exported stack is 'reference' or 'shop'."),
    };

    /// <summary>The name its golden files are under: Golden/NAME-prod-kubernetes, Golden/NAME-prod-compose.</summary>
    public string Name { get; }

    /// <summary>The host variables the export sees.</summary>
    public IReadOnlyDictionary<string, string> HostVariables { get; }

    /// <summary>The generated descriptor; its compiled assembly stays loaded for the test run.</summary>
    public StackDescriptor Descriptor { get; }

    public StackDefinition Prod { get; }

    public ExportOptions Options { get; }

    public StackExport Kubernetes { get; }

    /// <summary>Where the Compose export is meant to be written: deploy/ of the directory of stack.toml.</summary>
    public string ComposeFile { get; }

    public StackExport Compose { get; }

    /// <summary>The value of every secret file the stack names, in any environment: none may appear in an export.</summary>
    public IEnumerable<string> SecretFileValues =>
        Descriptor.Environments
            .SelectMany(e => Descriptor.Resolve(e.Name).Secrets)
            .Where(s => s.SourceKind == SecretSourceKind.File)
            .Select(s => File.ReadAllText(Path.Combine(Prod.SourceDirectory, s.Source)).Trim())
            .Distinct();
}
