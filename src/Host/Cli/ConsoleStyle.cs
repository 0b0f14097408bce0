namespace Berth.Host;

/// <summary>
/// Colours for the <c>up</c> command's lines: on a terminal, each service in its own colour and states in theirs;
/// anywhere else (a file, a pipe, <c>NO_COLOR</c>, <c>TERM=dumb</c>) plain text.
/// </summary>
internal sealed class ConsoleStyle
{
    private static readonly string[] s_serviceColors = ["36", "33", "32", "35", "34", "96", "93", "92", "95", "94"];

    private readonly Dictionary<string, string> _serviceColors = new(StringComparer.Ordinal);

    private ConsoleStyle(bool colored) => Colored = colored;

    public bool Colored { get; }

    public static ConsoleStyle Plain { get; } = new(colored: false);

    /// <summary>Coloured when <paramref name="output"/> is this process's console and that is a terminal.</summary>
    public static ConsoleStyle For(TextWriter output) =>
        ReferenceEquals(output, Console.Out)
        && !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && Environment.GetEnvironmentVariable("TERM") != "dumb"
            ? new ConsoleStyle(colored: true)
            : Plain;

    /// <summary>Gives each service the next colour, in the order the stack declares them.</summary>
    public void AssignColors(IEnumerable<string> services)
    {
        foreach (var service in services)
        {
            _serviceColors.TryAdd(service, s_serviceColors[_serviceColors.Count % s_serviceColors.Length]);
        }
    }

    public string Service(string service, string text) => Paint(_serviceColors.GetValueOrDefault(service, "0"), text);

    public string Good(string text) => Paint("32", text);

    public string Warning(string text) => Paint("33", text);

    public string Bad(string text) => Paint("31", text);

    public string Faint(string text) => Paint("2", text);

    public string Bold(string text) => Paint("1", text);

    private string Paint(string code, string text) => Colored ? $"\u001b[{code}m{text}\u001b[0m" : text;
}
