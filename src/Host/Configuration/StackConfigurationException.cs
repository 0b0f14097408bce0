namespace Berth.Host.Configuration;

/// <summary>
/// The stack cannot start because of its configuration in one environment: a secret that cannot be read, or a required
/// variable of an <c>env</c> value that is not set. Each problem names the service or secret, where Berth looked and what
/// to do. Messages never hold a secret's value.
/// </summary>
public sealed class StackConfigurationException : Exception
{
    public StackConfigurationException(string stackName, string environment, IEnumerable<string> problems)
        : this(stackName, environment, [.. problems ?? throw new ArgumentNullException(nameof(problems))])
    {
    }

    private StackConfigurationException(string stackName, string environment, string[] problems)
        : base(Format(stackName, environment, problems))
    {
        StackName = stackName;
        Environment = environment;
        Problems = problems;
    }

    /// <summary>The stack's name from <c>[stack] name</c>.</summary>
    public string StackName { get; }

    /// <summary>The environment the stack was resolved for.</summary>
    public string Environment { get; }

    /// <summary>Each problem as one sentence, in the order found; all of them are in <see cref="Exception.Message"/>.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Format(string stackName, string environment, string[] problems)
    {
        ArgumentException.ThrowIfNullOrEmpty(stackName);
        ArgumentException.ThrowIfNullOrEmpty(environment);
        if (problems.Length == 0)
        {
            throw new ArgumentException("A configuration error needs at least one problem.", nameof(problems));
        }

        var heading = $"Stack '{stackName}' cannot start in environment '{environment}'";

        // One problem reads as one sentence; several are listed so that all can be fixed in one go.
        return problems.Length == 1
            ? $"{heading}: {problems[0]}"
            : $"{heading}, {problems.Length} problems:{System.Environment.NewLine}"
              + string.Join(System.Environment.NewLine, problems.Select(p => $"  - {p}"));
    }
}
