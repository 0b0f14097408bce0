using System.Text.Json;

namespace Berth.Runtime.Tests;

/// <summary>Assertions on the reports of the probe's <c>caps-drop</c> verb.</summary>
internal static class CapabilityProbeAssert
{
    public static void Applied(JsonElement report)
    {
        Assert.Equal(JsonValueKind.Null, report.GetProperty("applyError").ValueKind);
        Assert.Equal(0, Errno(report, "loopback"));
    }

    public static JsonElement Executed(JsonElement report)
    {
        var exec = report.GetProperty("exec");
        Assert.True(exec.GetProperty("exitCode").GetInt32() == 0, exec.ToString());
        return exec.GetProperty("status");
    }

    public static void Sets(JsonElement status, string inheritable, string permitted, string effective, string bounding, string ambient)
    {
        var context = status.ToString();
        Assert.True(inheritable == status.GetProperty("capInh").GetString(), $"CapInh, expected {inheritable}: {context}");
        Assert.True(permitted == status.GetProperty("capPrm").GetString(), $"CapPrm, expected {permitted}: {context}");
        Assert.True(effective == status.GetProperty("capEff").GetString(), $"CapEff, expected {effective}: {context}");
        Assert.True(bounding == status.GetProperty("capBnd").GetString(), $"CapBnd, expected {bounding}: {context}");
        Assert.True(ambient == status.GetProperty("capAmb").GetString(), $"CapAmb, expected {ambient}: {context}");
    }

    public static int Errno(JsonElement report, string name)
    {
        var outcome = report.GetProperty(name);
        return outcome.GetProperty("result").GetInt64() == -1 ? outcome.GetProperty("errno").GetInt32() : 0;
    }
}
