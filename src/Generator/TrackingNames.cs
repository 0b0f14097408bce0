namespace Berth.Generator;

/// <summary>Names of the pipeline steps, so tests can check that they cache.</summary>
internal static class TrackingNames
{
    public const string StackFiles = nameof(StackFiles);
    public const string ExistingFiles = nameof(ExistingFiles);
    public const string Parse = nameof(Parse);
    public const string Model = nameof(Model);
    public const string EmitOptions = nameof(EmitOptions);
}
