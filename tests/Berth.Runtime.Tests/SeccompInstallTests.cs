using System.Text.Json;

namespace Berth.Runtime.Tests;

/// <summary>
/// Installs <c>SeccompProfile.Default</c> for real, in a child process (a filter cannot be removed, so never in the
/// test host), and checks what the kernel then does.
/// </summary>
public class SeccompInstallTests
{
    private const int Enoent = 2;
    private const int Eperm = 1;
    private const int Einval = 22;
    private const int Enosys = 38;

    private static readonly Lazy<JsonElement> s_report = new(() => ProbeProcess.Run("seccomp"));

    private static readonly Lazy<JsonElement> s_fallbackReport = new(() => ProbeProcess.Run("seccomp-tsync-fallback"));

    private static JsonElement Report => s_report.Value;

    [Fact]
    public void TheFilterReachesEveryThread()
    {
        Assert.Equal(JsonValueKind.Null, Report.GetProperty("installError").ValueKind);
        var install = Report.GetProperty("install");
        Assert.True(install.GetProperty("allThreads").GetBoolean(), install.ToString());
        Assert.Equal(JsonValueKind.Null, install.GetProperty("threadSyncFailure").ValueKind);
    }

    [Fact]
    public void ProcStatusShowsTheFilterAndNoNewPrivs()
    {
        // Seccomp: 2 is SECCOMP_MODE_FILTER. Seccomp_filters (kernel 5.9+) counts the filters; -1 when not reported.
        var status = Report.GetProperty("status");
        Assert.Equal(2, status.GetProperty("seccomp").GetInt32());
        Assert.Equal(1, status.GetProperty("noNewPrivs").GetInt32());
        Assert.Contains(status.GetProperty("seccompFilters").GetInt32(), new[] { 1, -1 });
    }

    [Fact]
    public void DeniedCallsFailWithEpermWhereTheyFailedOtherwiseBefore()
    {
        var before = Report.GetProperty("before");
        var after = Report.GetProperty("after");

        // Before the filter, the calls fail (or succeed) for reasons of their own: it is the filter that denies them.
        Assert.Equal(Enoent, Errno(before, "mount"));
        Assert.NotEqual(Eperm, Errno(before, "unshareMountNamespace"));
        Assert.NotEqual(Eperm, Errno(before, "keyctl"));
        Assert.Equal(Einval, Errno(before, "clone3"));

        Assert.Equal(Eperm, Errno(after, "mount"));
        Assert.Equal(Eperm, Errno(after, "unshareMountNamespace"));
        Assert.Equal(Eperm, Errno(after, "keyctl"));
    }

    [Fact]
    public void Clone3FailsWithEnosys() =>
        Assert.Equal(Enosys, Errno(Report.GetProperty("after"), "clone3"));

    [Fact]
    public void AllowedCallsWork()
    {
        var getpid = Report.GetProperty("getpid");
        Assert.Equal(0, getpid.GetProperty("errno").GetInt32());
        Assert.Equal(Report.GetProperty("processId").GetInt64(), getpid.GetProperty("result").GetInt64());
    }

    [Fact]
    public void ANewDotnetThreadStartsAndInheritsTheFilter()
    {
        // glibc's pthread_create gets ENOSYS from clone3 and falls back to clone with thread flags, which is allowed.
        AssertFilteredThread(Report.GetProperty("newThread"));
        Assert.Equal(JsonValueKind.Null, Report.GetProperty("threadPoolError").ValueKind);
    }

    [Fact]
    public void AThreadStartedBeforeTheFilterGetsItThroughTsync() =>
        AssertFilteredThread(Report.GetProperty("threadStartedBeforeInstall"));

    [Fact]
    public void TheGarbageCollectorRuns()
    {
        var collection = Report.GetProperty("garbageCollection");
        Assert.Equal(JsonValueKind.Null, collection.GetProperty("error").ValueKind);
        Assert.True(collection.GetProperty("fullCollections").GetInt32() >= 1, collection.ToString());
        Assert.True(collection.GetProperty("retainedBytes").GetInt64() > 16 << 20, collection.ToString());
    }

    [Fact]
    public void WhenTsyncCannotReachAThreadOnlyTheCallingThreadIsFilteredAndTheResultSaysWhy()
    {
        // Another thread loaded a filter of its own first; the kernel refuses TSYNC and names that thread.
        var report = s_fallbackReport.Value;
        Assert.Equal(0, report.GetProperty("otherThreadLoad").GetProperty("result").GetInt64());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("installError").ValueKind);
        var install = report.GetProperty("install");
        Assert.False(install.GetProperty("allThreads").GetBoolean());
        Assert.Contains($"thread {report.GetProperty("otherThreadId").GetInt64()} ", install.GetProperty("threadSyncFailure").GetString(), StringComparison.Ordinal);

        AssertFilteredThread(report.GetProperty("callingThread"));

        // The other thread keeps only its own allow-everything filter: mount fails for its own reason.
        var other = report.GetProperty("otherThread");
        Assert.True(other.GetProperty("ran").GetBoolean(), other.ToString());
        Assert.Equal(Enoent, other.GetProperty("mount").GetProperty("errno").GetInt32());
    }

    private static void AssertFilteredThread(JsonElement thread)
    {
        Assert.True(thread.GetProperty("ran").GetBoolean(), thread.ToString());
        Assert.Equal(JsonValueKind.Null, thread.GetProperty("error").ValueKind);
        Assert.Equal(2, thread.GetProperty("status").GetProperty("seccomp").GetInt32());
        Assert.Equal(1, thread.GetProperty("status").GetProperty("noNewPrivs").GetInt32());
        Assert.Equal(Eperm, thread.GetProperty("mount").GetProperty("errno").GetInt32());
    }

    private static int Errno(JsonElement calls, string name)
    {
        var outcome = calls.GetProperty(name);
        return outcome.GetProperty("result").GetInt64() == -1 ? outcome.GetProperty("errno").GetInt32() : 0;
    }
}
