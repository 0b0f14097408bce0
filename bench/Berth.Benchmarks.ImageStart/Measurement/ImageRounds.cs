using Berth.Benchmarks.ImageStart.Contenders;
using Berth.Benchmarks.ImageStart.Images;

namespace Berth.Benchmarks.ImageStart.Measurement;

/// <summary>
/// Runs every contender on every image in rounds: one run each per image and round, the first contender rotating
/// from round to round, so that drift in the machine's load, and whatever one run leaves for the next (the page
/// cache, a cgroup the kernel is still tearing down), fall on all contenders alike. After each run its contender
/// removes what the next must not find (not timed); after each round <see cref="LeftoverCheck"/> looks for anything
/// left. The first rounds are warm-up and are not kept. A contender whose run fails drops out with the reason.
/// </summary>
internal static class ImageRounds
{
    public static async Task<IReadOnlyList<ImageResult>> RunAsync(
        IReadOnlyList<IImageContender> contenders, IReadOnlyList<BenchImage> images, ImageBenchOptions options, LeftoverCheck leftovers, LoadMonitor load, TextWriter log, CancellationToken stop)
    {
        await WarmBerthAsync(contenders, images, options.BerthWarmup, log, stop).ConfigureAwait(false);
        var results = images.SelectMany(i => contenders.Select(c => new ImageResult(c.Key, i.Key))).ToArray();
        ImageResult Result(int image, int contender) => results[(image * contenders.Count) + contender];
        var rounds = options.Warmup + options.Rounds;
        for (var round = 0; round < rounds && !stop.IsCancellationRequested; round++)
        {
            for (var image = 0; image < images.Count; image++)
            {
                for (var turn = 0; turn < contenders.Count && !stop.IsCancellationRequested; turn++)
                {
                    var index = (round + turn) % contenders.Count;
                    var result = Result(image, index);
                    if (result.Failure is not null)
                    {
                        continue;
                    }

                    try
                    {
                        try
                        {
                            var timing = await contenders[index].RunAsync(images[image]).ConfigureAwait(false);
                            if (round >= options.Warmup)
                            {
                                result.Add(timing);
                            }
                        }
                        finally
                        {
                            await contenders[index].ResetAsync(images[image]).ConfigureAwait(false);
                        }
                    }
                    catch (Exception e) when (!stop.IsCancellationRequested)
                    {
                        result.Fail(e.Message);
                        await log.WriteLineAsync($"{contenders[index].Name} on {images[image].Key} failed in round {round + 1} and drops out: {e.Message}").ConfigureAwait(false);
                    }
                    catch when (stop.IsCancellationRequested)
                    {
                        // Interrupted (Ctrl+C reaches the tools too): not the contender's failure.
                    }
                }
            }

            await leftovers.CheckAsync(round + 1).ConfigureAwait(false);
            load.Sample();
            await log.WriteLineAsync($"round {round + 1} of {rounds} ({options.Warmup} warm-up), load {load.Last:0.00}{(leftovers.Problems.Count > 0 ? $", leftovers: {leftovers.Problems[^1]}" : string.Empty)}").ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>
    /// Berth's starts run in this process, whose code the JIT compiles at full optimization only after a method has
    /// run a few dozen times; a host that has started a few containers is past that. The smallest image is used.
    /// </summary>
    private static async Task WarmBerthAsync(IReadOnlyList<IImageContender> contenders, IReadOnlyList<BenchImage> images, int runs, TextWriter log, CancellationToken stop)
    {
        var berth = contenders.OfType<BerthContender>().ToList();
        if (berth.Count == 0 || runs == 0 || images.Count == 0)
        {
            return;
        }

        var image = images[0];
        await log.WriteLineAsync($"Warming up Berth's host code: {runs} starts of {image.Key} per Berth contender.").ConfigureAwait(false);
        for (var run = 0; run < runs && !stop.IsCancellationRequested; run++)
        {
            foreach (var contender in berth)
            {
                try
                {
                    await contender.RunAsync(image).ConfigureAwait(false);
                }
                finally
                {
                    await contender.ResetAsync(image).ConfigureAwait(false);
                }
            }
        }
    }
}
