namespace Berth.Benchmarks.Shared;

/// <summary>The report's closing table: what the numbers were measured on, and under what load, one fact a row.</summary>
internal static class MachineTable
{
    public static void Write(TextWriter output, string heading, IEnumerable<(string Name, string Value)> facts)
    {
        output.WriteLine(heading);
        output.WriteLine();
        output.WriteLine("| | |");
        output.WriteLine("|---|---|");
        foreach (var (name, value) in facts)
        {
            output.WriteLine($"| {name} | {value} |");
        }

        output.WriteLine();
    }
}
