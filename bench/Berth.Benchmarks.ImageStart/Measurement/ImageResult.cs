namespace Berth.Benchmarks.ImageStart.Measurement;

/// <summary>A contender's measured runs of one image, and why it stopped early if it did (its numbers are then left out).</summary>
internal sealed class ImageResult(string contender, string image)
{
    private readonly List<ImageRunTiming> _runs = [];

    public string Contender { get; } = contender;

    public string Image { get; } = image;

    public IReadOnlyList<ImageRunTiming> Runs => _runs;

    public string? Failure { get; private set; }

    public void Add(ImageRunTiming timing) => _runs.Add(timing);

    public void Fail(string reason) => Failure = reason;
}
