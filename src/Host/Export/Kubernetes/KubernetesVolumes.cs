using k8s.Models;

namespace Berth.Host.Export.Kubernetes;

/// <summary>
/// Named volumes as PersistentVolumeClaims: storage that outlives the pods, shared by the services that name it.
/// Berth's volumes have no size and Kubernetes needs one; the claims ask for <see cref="DefaultSize"/>.
/// </summary>
internal static class KubernetesVolumes
{
    public const string DefaultSize = "1Gi";

    public static IReadOnlyList<V1PersistentVolumeClaim> For(KubernetesExportContext context)
    {
        var users = context.Stack.Services
            .SelectMany(s => s.Volumes.Where(v => v.Kind == VolumeKind.Named).Select(v => (Volume: v.Source!, Service: s)))
            .GroupBy(u => u.Volume, StringComparer.Ordinal);
        var claims = new List<V1PersistentVolumeClaim>();
        foreach (var volume in users)
        {
            var services = volume.Select(u => u.Service).Distinct().ToList();
            var pods = services.Sum(s => s.Replicas);
            if (pods > 1)
            {
                foreach (var service in services)
                {
                    context.Warn(
                        $"the named volume '{volume.Key}' is a ReadWriteOnce claim, which {pods} pods share only while they run on one node; give it a ReadWriteMany storage class, or one replica.",
                        "services", service.Name, "volumes");
                }
            }

            claims.Add(new V1PersistentVolumeClaim
            {
                ApiVersion = "v1",
                Kind = "PersistentVolumeClaim",
                Metadata = new V1ObjectMeta { Name = context.Names.Volume(volume.Key), Labels = context.StackLabels() },
                Spec = new V1PersistentVolumeClaimSpec
                {
                    AccessModes = ["ReadWriteOnce"],
                    Resources = new V1VolumeResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["storage"] = new(DefaultSize) },
                    },
                },
            });
        }

        return claims;
    }
}
