using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Runtime.Filesystem;

/// <summary>Source-generated JSON for <see cref="ContainerFilesystemPlan"/>, readable without reflection (NativeAOT).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ContainerFilesystemPlan))]
internal sealed partial class FilesystemJsonContext : JsonSerializerContext;
