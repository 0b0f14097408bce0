using System.Net.Sockets;
using Berth.Host.Control;

namespace Berth.Host.Tests.Control;

/// <summary>One owner per stack at a time, through an flock on its directory; what an owner that died left is removed by the next.</summary>
public sealed class StackOwnershipTests : IDisposable
{
    private readonly string _state = Path.Combine("/run/berth", $"test-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    [Fact]
    public void OneOwnerAtATimeAndTheDirectoryGoesWithIt()
    {
        var directory = StackDirectory.For(_state, "shop");
        using (var owner = StackOwnership.Claim(directory))
        {
            Assert.False(owner.FoundAbandoned);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory.Path));
            new StackRecord(Environment.ProcessId, "dev", DateTimeOffset.UtcNow).WriteTo(directory.RecordPath);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(directory.RecordPath));

            var refused = Assert.Throws<StackAlreadyRunningException>(() => StackOwnership.Claim(directory));
            Assert.Equal(Environment.ProcessId, refused.Pid);

            // Another stack in the same state directory is another lock.
            using var other = StackOwnership.Claim(StackDirectory.For(_state, "blog"));
        }

        Assert.False(Directory.Exists(directory.Path));
        using var next = StackOwnership.Claim(directory);
        Assert.False(next.FoundAbandoned);
    }

    [Fact]
    public void AStateDirectoryReachedThroughASymbolicLinkIsLockedAllTheSame()
    {
        Directory.CreateDirectory(Path.Combine(_state, "real"));
        Directory.CreateSymbolicLink(Path.Combine(_state, "link"), Path.Combine(_state, "real"));

        using var owner = StackOwnership.Claim(StackDirectory.For(Path.Combine(_state, "link"), "shop"));
        Assert.Throws<StackAlreadyRunningException>(() => StackOwnership.Claim(StackDirectory.For(Path.Combine(_state, "real"), "shop")));
    }

    [Fact]
    public void WhatAnOwnerThatDiedLeftIsRemovedAndReported()
    {
        // What a killed owner leaves: its directory, its record, its socket with nobody listening.
        var directory = StackDirectory.For(_state, "shop");
        Directory.CreateDirectory(directory.Path);
        new StackRecord(123456, "prod", DateTimeOffset.UnixEpoch).WriteTo(directory.RecordPath);
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            socket.Bind(new UnixDomainSocketEndPoint(directory.SocketPath));
        }

        var notRunning = StackControlClient.NotRunning(directory);
        Assert.True(notRunning.Abandoned);
        Assert.Contains("PID 123456, environment prod", notRunning.Message, StringComparison.Ordinal);

        using var owner = StackOwnership.Claim(directory);
        Assert.True(owner.FoundAbandoned);
        Assert.Equal(123456, owner.Abandoned?.Pid);
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory.Path));
    }

    [Fact]
    public void NamesThatAreNoDirectoryAndSocketPathsTooLongAreRefused()
    {
        Assert.Throws<ArgumentException>(() => StackDirectory.For(_state, ".."));
        Assert.Throws<ArgumentException>(() => StackDirectory.For(_state, "a/b"));
        var tooLong = Assert.Throws<ArgumentException>(() => StackDirectory.For(Path.Combine(_state, new string('s', 80)), "shop"));
        Assert.Contains("longer than a Unix socket path may be", tooLong.Message, StringComparison.Ordinal);
    }
}
