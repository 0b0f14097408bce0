using System.Globalization;

namespace Berth.Host.Orchestration;

/// <summary>Durations as people read them in progress lines and messages: "0.42 s", "12 s", "2m05s".</summary>
public static class Durations
{
    public static string Format(TimeSpan duration) => duration.TotalSeconds switch
    {
        < 10 => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.##} s"),
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes}m{duration.Seconds:00}s"),
    };
}
