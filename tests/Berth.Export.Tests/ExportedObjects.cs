using Berth.Host.Export;
using k8s;
using k8s.Models;
using YamlDotNet.Serialization;

namespace Berth.Export.Tests;

/// <summary>The exports read back: the manifests as KubernetesClient objects, the Compose file as plain YAML maps.</summary>
internal static class ExportedObjects
{
    public static List<object> Kubernetes(StackExport export) =>
        [.. export.Files.Where(f => f.Path.EndsWith(".yaml", StringComparison.Ordinal) && f.Path != "kustomization.yaml").SelectMany(f => KubernetesYaml.LoadAllFromString(f.Content))];

    /// <summary>The pod template of a service's Deployment or Job.</summary>
    public static V1PodTemplateSpec Pod(List<object> objects, string name) =>
        objects.OfType<V1Deployment>().Where(d => d.Metadata.Name == name).Select(d => d.Spec.Template)
            .Concat(objects.OfType<V1Job>().Where(j => j.Metadata.Name == name).Select(j => j.Spec.Template))
            .Single();

    public static Dictionary<object, object> Compose(StackExport export) =>
        new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(export.Files[0].Content);

    public static Dictionary<object, object> Map(object? node) => Assert.IsType<Dictionary<object, object>>(node);

    public static List<object> List(object? node) => Assert.IsType<List<object>>(node);

    /// <summary>The value at a path of keys, or null where a key is missing.</summary>
    public static object? At(object node, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (node is not Dictionary<object, object> map || !map.TryGetValue(key, out node!))
            {
                return null;
            }
        }

        return node;
    }
}
