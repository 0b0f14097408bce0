using System.Globalization;
using k8s.Models;

namespace Berth.Host.Export.Kubernetes;

/// <summary>Berth's limits as Kubernetes quantities, exactly: "512Mi" for 512 MiB, "500m" for half a core.</summary>
internal static class KubernetesQuantities
{
    private static readonly (long Factor, string Suffix)[] s_binary = [(1L << 40, "Ti"), (1L << 30, "Gi"), (1L << 20, "Mi"), (1L << 10, "Ki")];
    private static readonly (long Factor, string Suffix)[] s_decimal = [(1_000_000_000_000, "T"), (1_000_000_000, "G"), (1_000_000, "M"), (1_000, "k")];

    /// <summary>Bytes with the largest unit that divides them exactly (binary first), else plain bytes.</summary>
    public static ResourceQuantity Bytes(long bytes)
    {
        foreach (var (factor, suffix) in s_binary.Concat(s_decimal))
        {
            if (bytes >= factor && bytes % factor == 0)
            {
                return new ResourceQuantity((bytes / factor).ToString(CultureInfo.InvariantCulture) + suffix);
            }
        }

        return new ResourceQuantity(bytes.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Cores as whole cores ("2") or millicores ("500m"); Kubernetes counts no finer than a millicore.</summary>
    public static ResourceQuantity Cpus(double cores)
    {
        var millicores = (long)Math.Round(cores * 1000, MidpointRounding.AwayFromZero);
        return new ResourceQuantity(millicores % 1000 == 0
            ? (millicores / 1000).ToString(CultureInfo.InvariantCulture)
            : millicores.ToString(CultureInfo.InvariantCulture) + "m");
    }

    /// <summary>A duration in whole seconds, rounded up and at least 1, as probes and grace periods take it.</summary>
    public static int Seconds(TimeSpan duration) => (int)Math.Max(1, Math.Ceiling(duration.TotalSeconds));
}
