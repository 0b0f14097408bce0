namespace Berth.Host.Export;

/// <summary>
/// Something of the stack that the export's target cannot express as Berth means it: the key of stack.toml it comes
/// from (<c>services.catalog.limits.pids</c>) and what the export wrote instead, or that it left it out.
/// </summary>
public sealed record ExportWarning(string Key, string Message)
{
    public override string ToString() => $"{Key}: {Message}";
}
