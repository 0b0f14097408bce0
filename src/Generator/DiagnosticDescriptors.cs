using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Berth.Generator;

/// <summary>
/// Every diagnostic Berth reports about a stack.toml. Messages say what is wrong and how to fix it.
/// Descriptors whose message ends in an environment suffix ({n}) are checked per environment and say which
/// environments are affected when not all are.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Berth.Stack";

    public static readonly DiagnosticDescriptor SyntaxError = Error(
        "BERTH0001", "stack.toml is not valid TOML",
        "TOML syntax error: {0}");

    public static readonly DiagnosticDescriptor UnknownKey = Error(
        "BERTH0002", "Unknown key",
        "Unknown key '{0}' in {1}{2}");

    public static readonly DiagnosticDescriptor WrongType = Error(
        "BERTH0003", "Value has the wrong type",
        "'{0}' must be {1}, not {2}; for example: {3}");

    public static readonly DiagnosticDescriptor InvalidValue = Error(
        "BERTH0004", "Invalid value",
        "Invalid value for '{0}': {1}");

    public static readonly DiagnosticDescriptor InvalidSize = Error(
        "BERTH0005", "Invalid size",
        "Invalid size '{0}' for '{1}': write a whole number with a unit, e.g. \"256MiB\", \"1GiB\", \"512MB\" or \"64k\"");

    public static readonly DiagnosticDescriptor InvalidDuration = Error(
        "BERTH0006", "Invalid duration",
        "Invalid duration '{0}' for '{1}': write numbers with units h, m, s, ms or us, e.g. \"10s\", \"1m30s\" or \"500ms\"");

    public static readonly DiagnosticDescriptor InvalidCpus = Error(
        "BERTH0007", "Invalid CPU limit",
        "Invalid CPU limit '{0}' for '{1}': give a number of cores greater than 0 and at most 1024, e.g. 0.5 or 2");

    public static readonly DiagnosticDescriptor ServiceWithoutSource = Error(
        "BERTH0008", "Service has neither project nor image",
        "Service '{0}' needs either 'project' (path to a .csproj) or 'image' (an image reference or root filesystem){1}");

    public static readonly DiagnosticDescriptor ServiceWithTwoSources = Error(
        "BERTH0009", "Service has both project and image",
        "Service '{0}' sets both 'project' and 'image'; keep exactly one{1}");

    public static readonly DiagnosticDescriptor UnknownService = Error(
        "BERTH0010", "Unknown service",
        "Unknown service '{0}' in {1}{2}{3}");

    public static readonly DiagnosticDescriptor UnknownSecret = Error(
        "BERTH0011", "Unknown secret",
        "Unknown secret '{0}' in {1}: declare it as [secrets.{0}]{2}{3}");

    public static readonly DiagnosticDescriptor DependencyCycle = Error(
        "BERTH0012", "Dependency cycle",
        "Services depend on each other in a cycle: {0}; remove one of these depends_on entries{1}");

    public static readonly DiagnosticDescriptor DuplicateHostPort = Error(
        "BERTH0013", "Host port used twice",
        "Host port {0} is already used by {1}; pick another port{2}");

    public static readonly DiagnosticDescriptor OverlappingRoute = Error(
        "BERTH0014", "Gateway route claimed twice",
        "Gateway route '{0}' is already served by service '{1}'; give each service its own path prefix{2}");

    public static readonly DiagnosticDescriptor SecretWithoutSource = Error(
        "BERTH0015", "Secret has no source",
        "Secret '{0}' has no source{1}: set one of file = \"path\", env = \"VARIABLE\" or user_secret = \"Key\" in [secrets.{0}] or in the environment's [environments.NAME.secrets.{0}]");

    public static readonly DiagnosticDescriptor ProjectNotFound = Error(
        "BERTH0016", "Project file not found",
        "Project '{0}' of service '{1}' does not exist (looked for {2}); paths are relative to the directory of stack.toml{3}");

    public static readonly DiagnosticDescriptor SecretFileNotFound = new(
        "BERTH0017", "Secret file not found",
        "Secret file '{0}' of secret '{1}' does not exist (looked for {2}); the stack will fail to start until it does{3}",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidName = Error(
        "BERTH0018", "Name cannot become a C# identifier",
        "{0} name '{1}' cannot be used: {2}");

    public static readonly DiagnosticDescriptor EmptyStack = Error(
        "BERTH0019", "Stack has no services",
        "The stack declares no services: add at least one [services.NAME] table with a 'project' or 'image'");

    public static readonly DiagnosticDescriptor MissingKey = Error(
        "BERTH0020", "Required key missing",
        "{0} is required: add {1}");

    public static readonly DiagnosticDescriptor UnknownEnvironment = Error(
        "BERTH0021", "Unknown environment",
        "Unknown environment '{0}': declared environments are {1}");

    public static readonly DiagnosticDescriptor InvalidInterpolation = Error(
        "BERTH0022", "Invalid variable interpolation",
        "Invalid interpolation in '{0}': {1}; use ${{VAR}}, ${{VAR:-default}}, ${{VAR:?message}}, or $$ for a literal $");

    public static readonly DiagnosticDescriptor SecretWithTwoSources = Error(
        "BERTH0023", "Secret has more than one source",
        "Secret '{0}' sets both '{1}' and '{2}'; a secret comes from exactly one of file, env or user_secret{3}");

    public static readonly DiagnosticDescriptor MultipleStackFiles = Error(
        "BERTH0024", "More than one stack.toml",
        "This project has more than one stack.toml ({0}); a project defines one stack");

    public static readonly DiagnosticDescriptor ImageDirectoryNotFound = Error(
        "BERTH0025", "Image directory not found",
        "Image directory '{0}' of service '{1}' does not exist (looked for {2}); paths are relative to the directory of stack.toml: create the root filesystem there, or name an image (\"docker.io/library/redis:7\", \"oci:PATH[:TAG]\", \"oci-archive:PATH\"){3}");

    public static readonly DiagnosticDescriptor InternalError = Error(
        "BERTH0999", "Berth generator failed",
        "The Berth generator failed unexpectedly ({0}); please report this with the stack.toml that caused it");

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = typeof(DiagnosticDescriptors)
        .GetFields()
        .Select(f => f.GetValue(null))
        .OfType<DiagnosticDescriptor>()
        .ToDictionary(d => d.Id);

    public static IEnumerable<DiagnosticDescriptor> All => s_byId.Values;

    public static DiagnosticDescriptor ById(string id) => s_byId[id];

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
