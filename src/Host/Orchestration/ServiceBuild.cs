namespace Berth.Host.Orchestration;

/// <summary>Where a service project was built: the directory the container sees at <c>/app</c>, and the assembly to run.</summary>
/// <param name="Project">The project file, absolute.</param>
/// <param name="OutputDirectory">The project's build output, absolute.</param>
/// <param name="EntryAssembly">The file name of the assembly <c>dotnet</c> runs, e.g. <c>Catalog.dll</c>.</param>
public sealed record ServiceBuild(string Project, string OutputDirectory, string EntryAssembly);
