using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;

namespace Berth.Host.Configuration;

/// <summary>
/// The stack's secrets resolved for one environment, before anything starts: every secret that some service lists,
/// read from its source. Only <see cref="Get"/> gives out a value; <see cref="ToString"/>, the debugger and every
/// message name secrets and where they come from, never what they hold.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class SecretStore
{
    private readonly string _stackName;
    private readonly string _environment;
    private readonly Dictionary<string, byte[]> _values;
    private readonly ImmutableArray<string> _names;

    private SecretStore(string stackName, string environment, Dictionary<string, byte[]> values, ImmutableArray<string> names)
    {
        _stackName = stackName;
        _environment = environment;
        _values = values;
        _names = names;
    }

    /// <summary>The names of the secrets held, in the stack's declaration order.</summary>
    public IReadOnlyCollection<string> Names => _names;

    /// <summary>
    /// Reads every secret that a service of <paramref name="stack"/> lists (a declared secret no service lists is not
    /// read, so it need not exist): a <c>file</c> relative to the stack's directory, byte for byte; an <c>env</c>
    /// variable of the host; a <c>user_secret</c> key of the stack project's user-secrets store. Text values are UTF-8.
    /// </summary>
    /// <param name="hostVariable">The host's environment: a variable's value, null when it is not set. Also locates the user-secrets store (HOME, APPDATA).</param>
    /// <param name="userSecretsId">The stack project's <c>UserSecretsId</c>; null when it has none (then no <c>user_secret</c> can be read).</param>
    /// <exception cref="StackConfigurationException">
    /// A secret is missing or empty, or cannot be read; every such secret is listed with where it was looked for.
    /// </exception>
    public static SecretStore Resolve(StackDefinition stack, Func<string, string?> hostVariable, string? userSecretsId)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(hostVariable);

        // In the order services list them, so problems come out in a stable order.
        var listed = stack.Services.SelectMany(s => s.Secrets).Distinct(StringComparer.Ordinal).ToArray();
        var problems = new List<string>();
        foreach (var undeclared in listed.Where(name => !stack.Secrets.Any(s => s.Name == name)))
        {
            var services = string.Join(", ", stack.Services.Where(s => s.Secrets.Contains(undeclared)).Select(s => $"'{s.Name}'"));
            problems.Add($"secret '{undeclared}', listed by service {services}, is not declared; add a [{StackTomlPath.Of("secrets", undeclared)}] table with its source.");
        }

        // One store for all user_secret secrets, opened only when one is needed.
        var userSecrets = new Lazy<UserSecretsFile?>(() => userSecretsId is null ? null : UserSecretsFile.Open(userSecretsId, hostVariable));
        var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var secret in stack.Secrets.Where(s => listed.Contains(s.Name)))
        {
            var (value, problem) = secret.SourceKind switch
            {
                SecretSourceKind.File => ReadFile(stack, secret),
                SecretSourceKind.Env => ReadVariable(secret, hostVariable),
                SecretSourceKind.UserSecret => ReadUserSecret(secret, userSecrets.Value),
                _ => (null, $"source kind {secret.SourceKind} is not supported by this version of Berth"),
            };
            if (value is not null)
            {
                values.Add(secret.Name, value);
                continue;
            }

            var elsewhere = $"[{StackTomlPath.Of("environments", stack.Environment, "secrets", secret.Name)}]";
            problems.Add($"secret '{secret.Name}' comes from {Origin(secret)}: {problem}; or give the secret another source for this environment in {elsewhere}.");
        }

        return problems.Count == 0
            ? new SecretStore(stack.Name, stack.Environment, values, [.. stack.Secrets.Select(s => s.Name).Where(values.ContainsKey)])
            : throw new StackConfigurationException(stack.Name, stack.Environment, problems);
    }

    /// <summary>The value of the secret <paramref name="name"/>, as read from its source.</summary>
    /// <exception cref="KeyNotFoundException">No service of the stack lists that secret, so it was not resolved.</exception>
    public ReadOnlyMemory<byte> Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _values.TryGetValue(name, out var value)
            ? value
            : throw new KeyNotFoundException($"Secret '{name}' of stack '{_stackName}' was not resolved for environment '{_environment}': no service lists it. Held: {string.Join(", ", _names)}.");
    }

    /// <summary>Names the stack, the environment and the secrets held; never a value.</summary>
    public override string ToString() => $"SecretStore {{ Stack = {_stackName}, Environment = {_environment}, Names = [{string.Join(", ", _names)}] }}";

    private static (byte[]? Value, string? Problem) ReadFile(StackDefinition stack, SecretDefinition secret)
    {
        var path = stack.ResolvePath(secret.Source);
        try
        {
            // Byte for byte, a trailing newline included, as Compose mounts a file secret.
            var value = File.ReadAllBytes(path);
            return value.Length > 0 ? (value, null) : (null, $"the file {path} is empty; write the secret's value into it");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, $"the file {path} does not exist; create it holding the secret's value, readable by the user that runs the stack (keep it out of source control)");
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            return (null, $"{path} is a directory; point file at the file that holds the secret");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"the file {path} cannot be read ({e.GetType().Name}); give the user that runs the stack read access");
        }
    }

    private static (byte[]? Value, string? Problem) ReadVariable(SecretDefinition secret, Func<string, string?> hostVariable) =>
        hostVariable(secret.Source) switch
        {
            null => (null, $"the host variable {secret.Source} is not set; set it in the environment that runs the stack"),
            "" => (null, $"the host variable {secret.Source} is set but empty; give it the secret's value"),
            var value => (Encoding.UTF8.GetBytes(value), null),
        };

    private static (byte[]? Value, string? Problem) ReadUserSecret(SecretDefinition secret, UserSecretsFile? store)
    {
        var set = $"`dotnet user-secrets set \"{secret.Source}\" VALUE` in the stack project's directory, as the user that runs the stack";
        if (store is null)
        {
            return (null, $"the stack project has no UserSecretsId, so it has no user-secrets store; run `dotnet user-secrets init`, then {set}");
        }

        var (value, problem) = store.Get(secret.Source);
        return value is null ? (null, $"{problem}; run {set}") : (Encoding.UTF8.GetBytes(value), null);
    }

    /// <summary>The secret's source as stack.toml spells it, for the reader to find it.</summary>
    private static string Origin(SecretDefinition secret)
    {
        var key = secret.SourceKind switch
        {
            SecretSourceKind.File => "file",
            SecretSourceKind.Env => "env",
            SecretSourceKind.UserSecret => "user_secret",
            _ => secret.SourceKind.ToString(),
        };
        return $"{key} = \"{secret.Source}\"";
    }
}
