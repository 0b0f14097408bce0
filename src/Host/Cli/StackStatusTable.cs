using System.Globalization;
using System.Text;
using Berth.Host.Control;

namespace Berth.Host;

/// <summary><c>ps</c> as a table, as <c>docker compose ps</c> prints one: a line about the stack, then one per replica.</summary>
internal static class StackStatusTable
{
    private static readonly string[] s_headers = ["NAME", "SERVICE", "STATE", "HEALTH", "RESTARTS", "PID", "MEMORY", "UPTIME"];

    public static string Format(StackStatusDocument status, DateTimeOffset now)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Stack '{status.Stack}' ({status.Environment}): PID {status.Pid}, up {Uptime(now - status.StartedAt)}");
        text.AppendLine(status.Gateway is { } gateway ? $", gateway {gateway}" : ", starting");

        var rows = status.Replicas.Select(r => new[]
        {
            r.Name,
            r.Service,
            r.LastExit is { } exit && r.State is "exited" or "restarting" or "stopped" ? $"{r.State} ({exit.Description})" : r.State,
            r.Health ?? "-",
            r.Restarts.ToString(CultureInfo.InvariantCulture),
            r.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
            r.MemoryBytes is { } bytes ? Memory(bytes) : "-",
            r.UptimeSeconds is { } seconds ? Uptime(TimeSpan.FromSeconds(seconds)) : "-",
        }).ToList();
        var widths = s_headers.Select((header, column) => rows.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(s_headers))
        {
            text.AppendLine(string.Join("  ", row.Select((cell, column) => column == row.Length - 1 ? cell : cell.PadRight(widths[column]))));
        }

        return text.ToString().TrimEnd('\n');
    }

    /// <summary>"512 B", "41.2 MiB", "1.5 GiB".</summary>
    public static string Memory(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }

    /// <summary>"45s", "3m05s", "2h07m", "3d04h".</summary>
    public static string Uptime(TimeSpan time) => time switch
    {
        { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)time.TotalSeconds)}s"),
        { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{time.Minutes}m{time.Seconds:00}s"),
        { TotalDays: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{time.Hours}h{time.Minutes:00}m"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalDays}d{time.Hours:00}h"),
    };
}
