using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace Berth.Generator.Tests;

/// <summary>docs/stack-toml.md stays true to the generator: its diagnostics table and its complete examples.</summary>
public sealed partial class StackDocumentationTests
{
    private static readonly string s_documentation = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "stack-toml.md"));

    [Fact]
    public void DiagnosticsTableListsEveryDescriptorExactly()
    {
        var rows = DiagnosticRow().Matches(s_documentation)
            .Select(m => (Id: m.Groups["id"].Value, Severity: m.Groups["severity"].Value, Title: m.Groups["title"].Value.Trim()))
            .ToList();
        var descriptors = DiagnosticDescriptors.All
            .Select(d => (d.Id, Severity: d.DefaultSeverity.ToString(), Title: d.Title.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(descriptors, rows);
    }

    [Fact]
    public void EveryTomlExampleIsValidToml()
    {
        var blocks = TomlBlock().Matches(s_documentation).Select(m => m.Groups["body"].Value).ToList();

        Assert.NotEmpty(blocks);
        foreach (var block in blocks)
        {
            var errors = new List<(Model.SourceLocation Location, string Message)>();
            Assert.True(Toml.TomlTreeReader.Read(block, errors) is not null, $"{string.Join("; ", errors.Select(e => e.Message))} in:\n{block}");
        }
    }

    /// <summary>A block that starts with a <c># …/stack.toml</c> comment is a whole file, and must compile as one.</summary>
    [Fact]
    public void CompleteExamplesGenerateCompilingCode()
    {
        var examples = TomlBlock().Matches(s_documentation)
            .Select(m => m.Groups["body"].Value)
            .Where(body => body.StartsWith('#') && body.Split('\n')[0].TrimEnd().EndsWith("stack.toml", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(examples);
        foreach (var example in examples)
        {
            var outcome = GeneratorHarness.Run(example);
            Assert.True(outcome.Diagnostics.IsEmpty, string.Join(Environment.NewLine, outcome.Diagnostics));
            var problems = outcome.CompilationProblems.ToList();
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }
    }

    [GeneratedRegex(@"^\| (?<id>BERTH\d{4}) \| (?<severity>\w+) \| (?<title>[^|]+)\|", RegexOptions.Multiline)]
    private static partial Regex DiagnosticRow();

    [GeneratedRegex(@"^```toml\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex TomlBlock();
}
