namespace Berth.Host.Orchestration;

/// <summary>The stack did not come up; every service that could not start is named with its reason. Nothing is left running.</summary>
public sealed class StackStartException : Exception
{
    public StackStartException(string stack, IReadOnlyList<ServiceStartException> problems)
        : base(Format(stack, problems), problems is [var only] ? only : new AggregateException(problems))
    {
        Problems = problems;
    }

    /// <summary>The stack as a whole cannot start (its gateway's port is taken): no service is to blame.</summary>
    public StackStartException(string stack, string reason, Exception innerException)
        : base($"Stack '{stack}' did not start: {reason}", innerException)
    {
        Problems = [];
    }

    /// <summary>The services that could not start, each with its reason; empty when the stack itself could not.</summary>
    public IReadOnlyList<ServiceStartException> Problems { get; }

    private static string Format(string stack, IReadOnlyList<ServiceStartException> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return problems.Count == 1
            ? $"Stack '{stack}' did not start. {problems[0].Message}"
            : $"Stack '{stack}' did not start, {problems.Count} services cannot:{System.Environment.NewLine}"
              + string.Join(System.Environment.NewLine, problems.Select(p => $"  - {p.Message}"));
    }
}
