using System.Globalization;
using Berth.Runtime.Images;
using Microsoft.Extensions.Logging;

namespace Berth.Host.Orchestration;

/// <summary>
/// Makes every image the stack's services need ready in the image store before anything starts: an OCI layout is
/// imported (only the blobs the store lacks are copied), an archive when it changed since its last import (its size
/// and time), a registry image pulled when the store has no image of its (normalized) name, and every layer is
/// unpacked once. Progress goes to the log. A registry that asks for credentials gets those <c>podman login</c>,
/// <c>skopeo login</c> or <c>docker login</c> stored (<see cref="RegistryAuthFiles.FromEnvironment"/>).
/// </summary>
internal static partial class ServiceImages
{
    /// <summary>The stored image of every running service whose image is not a directory, by service name.</summary>
    /// <exception cref="StackStartException">Some images cannot be had; each service is named with its reason.</exception>
    /// <param name="hostVariable">The host's environment, where the credential files are found (<c>REGISTRY_AUTH_FILE</c>, <c>HOME</c>, …).</param>
    public static async Task<IReadOnlyDictionary<string, StoredImage>> EnsureAsync(
        StackDefinition stack, ImageStore store, Func<string, string?> hostVariable, ILogger logger, CancellationToken cancellationToken)
    {
        var images = new Dictionary<string, StoredImage>(StringComparer.Ordinal);
        var problems = new List<ServiceStartException>();
        using var registry = new RegistryClient(new RegistryClientOptions { AuthFiles = RegistryAuthFiles.FromEnvironment(hostVariable) });
        foreach (var service in stack.Services.Where(s => s.Replicas > 0 && s.Image is not null))
        {
            var source = ServiceImageSource.Parse(stack, service.Image!);
            if (source is ServiceImageSource.RootDirectory)
                continue;
            try
            {
                images[service.Name] = await EnsureAsync(source, store, registry, logger, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ImageFormatException or RegistryException or IOException or UnauthorizedAccessException)
            {
                problems.Add(new ServiceStartException(service.Name, $"its image '{service.Image}' cannot be had: {e.Message}"));
            }
        }

        return problems.Count == 0 ? images : throw new StackStartException(stack.Name, problems);
    }

    /// <summary>The stack with each image service's port defaulted to its image's lowest exposed TCP port.</summary>
    public static StackDefinition WithDefaultPorts(StackDefinition stack, IReadOnlyDictionary<string, StoredImage> images, Func<StoredImage, int?> defaultPort) =>
        stack with
        {
            Services = [.. stack.Services.Select(s => s.Port is null && images.TryGetValue(s.Name, out var image) && defaultPort(image) is { } port ? s with { Port = port } : s)],
        };

    private static async Task<StoredImage> EnsureAsync(ServiceImageSource source, ImageStore store, RegistryClient registry, ILogger logger, CancellationToken cancellationToken)
    {
        var progress = new LoggedProgress(logger, source.StoreName);
        switch (source)
        {
            case ServiceImageSource.OciLayout layout:
                return await OciLayoutImporter.ImportAsync(store, layout.Path, layout.Tag, layout.StoreName, progress, cancellationToken).ConfigureAwait(false);
            case ServiceImageSource.OciArchive archive:
                var file = new FileInfo(archive.Path);
                if (!file.Exists)
                    throw new IOException($"{archive.Path} does not exist");
                var stamp = string.Create(CultureInfo.InvariantCulture, $"{file.Length}:{file.LastWriteTimeUtc.Ticks}");
                if (store.FindRecord(archive.StoreName)?.SourceStamp == stamp && store.Find(archive.StoreName) is { } cached)
                    return cached;
                return await ImageArchiveImporter.ImportAsync(store, archive.Path, archive.StoreName, stamp, progress, cancellationToken).ConfigureAwait(false);
            case ServiceImageSource.Registry pulled:
                var reference = ImageReference.Parse(pulled.Reference);
                if (store.Find(reference.ToString()) is { } stored)
                    return stored;
                LogPulling(logger, reference.ToString(), reference.Registry);
                return await registry.PullAsync(store, reference, progress: progress, cancellationToken: cancellationToken).ConfigureAwait(false);
            default:
                throw new InvalidOperationException($"No image to store for {source}.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Image}: not in the image store, pulling it from {Registry}")]
    private static partial void LogPulling(ILogger logger, string image, string registry);

    /// <summary>One log line per layer as it starts and ends, and at most one every few seconds in between.</summary>
    private sealed partial class LoggedProgress(ILogger logger, string image) : IProgress<ImageProgress>
    {
        private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(2);
        private readonly Dictionary<Digest, DateTime> _last = [];

        public void Report(ImageProgress value)
        {
            lock (_last)
            {
                var now = DateTime.UtcNow;
                var known = _last.TryGetValue(value.Blob, out var last);
                if (value.Stage != ImageProgressStage.Done && known && now - last < s_interval)
                    return;
                _last[value.Blob] = now;
            }

            var blob = value.Blob.Hex[..12];
            var size = value.Total is { } total ? $"{Megabytes(value.Completed)}/{Megabytes(total)} MB" : $"{Megabytes(value.Completed)} MB";
            switch (value.Stage)
            {
                case ImageProgressStage.Download:
                    LogDownloading(logger, image, blob, size);
                    break;
                case ImageProgressStage.Unpack:
                    LogUnpacking(logger, image, blob, size);
                    break;
                default:
                    LogReady(logger, image, blob);
                    break;
            }
        }

        private static string Megabytes(long bytes) => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Image}: downloading {Blob} {Size}")]
        private static partial void LogDownloading(ILogger logger, string image, string blob, string size);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Image}: unpacking {Blob} {Size}")]
        private static partial void LogUnpacking(ILogger logger, string image, string blob, string size);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Image}: {Blob} ready")]
        private static partial void LogReady(ILogger logger, string image, string blob);
    }
}
