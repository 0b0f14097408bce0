using System.Diagnostics;
using System.Text.Json;
using Berth.Runtime.Filesystem;
using Tmds.Linux;

namespace Berth.Runtime.Probe;

/// <summary>
/// The <c>rootfs</c> verbs. <c>rootfs REQUEST</c> starts <c>rootfs-inside REQUEST</c> from a thread that did
/// <c>unshare(CLONE_NEWNS|CLONE_NEWPID)</c>, so the child is PID 1 of a new PID namespace in a new mount namespace,
/// as the container's init will be; the child sets the filesystem up with <see cref="ContainerFilesystem.Setup"/>,
/// looks at it, and reports. <c>rootfs-inspect JSON</c> is the app run inside a .NET template container.
/// </summary>
internal static class RootfsProbe
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web);

    public static int Run(string requestFile)
    {
        var request = ReadRequest(requestFile);

        // Process.Start starts helper threads on first use (the SIGCHLD handling); after unshare(CLONE_NEWPID) the
        // calling thread can no longer create threads, so they must exist before.
        WarmUpProcess();

        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(RootfsProbe).Assembly.Location);
        start.ArgumentList.Add("rootfs-inside");
        start.ArgumentList.Add(requestFile);

        // The runtime's diagnostics socket lives in /tmp; created before pivot_root, it could not be removed after.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";

        Process? child = null;
        string? error = null;
        var spawner = new Thread(() =>
        {
            var flags = LibC.CLONE_NEWNS | (request.PidNamespace ? LibC.CLONE_NEWPID : 0);
            if (LibC.unshare(flags) == -1)
            {
                error = $"unshare failed with errno {LibC.errno}";
                return;
            }

            try
            {
                child = Process.Start(start);
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                error = e.Message;
            }
        })
        { Name = "berth-probe-namespaces" };
        spawner.Start();
        spawner.Join();

        if (child is null)
        {
            Console.Error.WriteLine(error ?? "The inside process did not start.");
            return 1;
        }

        using (child)
        {
            if (request.Hold)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new { insideProcessId = child.Id }, s_options));
                Console.Out.Flush();
            }

            while (child.StandardOutput.ReadLine() is { } line)
            {
                Console.Out.WriteLine(line);
                Console.Out.Flush();
            }

            child.WaitForExit();
            return child.ExitCode;
        }
    }

    public static int RunInside(string requestFile)
    {
        var request = ReadRequest(requestFile);
        var plan = ContainerFilesystemPlan.FromJson(request.Plan);
        WarmUp();

        try
        {
            ContainerFilesystem.Setup(plan);
        }
        catch (ContainerFilesystemException e)
        {
            ProbeOutput.Write(new RootfsReport(e.Message, null, null, null));
            return 0;
        }

        var view = FilesystemInspection.Inspect(request.Inspection);
        CommandRun? appRun = null;
        JsonElement? app = null;
        if (request.App is { Length: > 0 } argv)
        {
            appRun = FilesystemInspection.Inspect(new FilesystemInspectionRequest { Command = argv }).Command;
            if (appRun is { ExitCode: 0 })
            {
                using var document = JsonDocument.Parse(appRun.Stdout);
                app = document.RootElement.Clone();
            }
        }

        ProbeOutput.Write(new RootfsReport(null, view, appRun, app));
        if (request.Hold)
            Console.In.ReadLine();
        return 0;
    }

    public static int Inspect(string inspectionJson)
    {
        var request = JsonSerializer.Deserialize<FilesystemInspectionRequest>(inspectionJson, s_options)
            ?? throw new JsonException("The inspection request is JSON null.");
        ProbeOutput.Write(FilesystemInspection.Inspect(request));
        return 0;
    }

    private static RootfsProbeRequest ReadRequest(string requestFile) =>
        JsonSerializer.Deserialize<RootfsProbeRequest>(File.ReadAllText(requestFile), s_options)
        ?? throw new JsonException("The request is JSON null.");

    /// <summary>Everything the inside process will need after pivot_root, touched while the host's files are there.</summary>
    private static void WarmUp()
    {
        WarmUpProcess();
        AssemblyPreloader.LoadClosure(typeof(RootfsProbe).Assembly);
        var sample = new FilesystemView
        {
            Exists = { ["/"] = true },
            Listings = { ["/"] = ["x"] },
            Reads = { ["/"] = new FileRead("x", 1, 0) },
            Writes = { ["/"] = 0 },
            Stats = { ["/"] = new FileStatus("file", "644", 0, 0, 0) },
            MountFlags = { ["/"] = "0" },
            Command = new CommandRun(0, "", "", null),
        };
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(new RootfsReport(null, sample, sample.Command, null), s_options));
        _ = JsonSerializer.Serialize(new RootfsReport(null, sample, null, document.RootElement.Clone()), s_options);
        _ = MountFlagsText.Format(Mounts.CurrentFlags("/"));
    }

    private static void WarmUpProcess()
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/true") { RedirectStandardOutput = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("/bin/true did not start.");
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
    }
}
