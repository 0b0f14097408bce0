using System.Text;

namespace Berth.Host.Export;

/// <summary>
/// The text an export leaves for people (a README, a file's header, the command's output): what to do before the
/// files work, and what could not be expressed. Markdown, so it reads as text and renders as a page.
/// </summary>
internal sealed class ExportInstructions
{
    private readonly StringBuilder _text = new();
    private int _step;

    public ExportInstructions(string title) => _text.Append("# ").AppendLine(title);

    public ExportInstructions Paragraph(string text)
    {
        _text.AppendLine().AppendLine(text);
        return this;
    }

    public ExportInstructions Heading(string heading)
    {
        _text.AppendLine().Append("## ").AppendLine(heading);
        return this;
    }

    /// <summary>A numbered step with the commands that do it; nothing when there are no commands.</summary>
    public ExportInstructions Step(string text, IReadOnlyCollection<string> commands)
    {
        if (commands.Count == 0)
        {
            return this;
        }

        _text.AppendLine().AppendLine($"{++_step}. {text}").AppendLine().AppendLine("   ```sh");
        foreach (var command in commands)
        {
            _text.Append("   ").AppendLine(command);
        }

        _text.AppendLine("   ```");
        return this;
    }

    public ExportInstructions List(string heading, IReadOnlyCollection<string> items)
    {
        if (items.Count == 0)
        {
            return this;
        }

        Heading(heading).Paragraph(string.Join(Environment.NewLine, items.Select(i => $"- {i}")));
        return this;
    }

    /// <summary>The step that builds the images of project services and copies local images, if any.</summary>
    public ExportInstructions Images(IReadOnlyDictionary<string, ExportImage> images, string where) =>
        Step(
            $"Build the images of the project services with the .NET SDK (no Dockerfile needed), and copy the images the stack runs from files{where}:",
            [.. images.Values.Select(i => i.Command)]);

    public ExportInstructions Warnings(IReadOnlyList<ExportWarning> warnings) =>
        List("Warnings: what the target cannot express", [.. warnings.Select(w => $"`{w.Key}`: {w.Message}")]);

    public override string ToString() => _text.ToString().ReplaceLineEndings("\n");
}
