using System.Net.Sockets;
using Berth.Runtime.Init;
using Tmds.Linux;

namespace Berth.Runtime.Tests;

/// <summary>Descriptors passed over a Unix socket (SCM_RIGHTS) arrive as many as were sent, each naming what it named.</summary>
public sealed class DescriptorPassingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void AsManyArriveAsWereSentAndEachIsTheSameFile(int count)
    {
        var path = Path.Combine(Path.GetTempPath(), $"berth-fds-{Guid.NewGuid():N}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        using var sender = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        sender.Connect(new UnixDomainSocketEndPoint(path));
        using var receiver = listener.Accept();
        File.Delete(path);
        var files = Enumerable.Range(0, count).Select(_ => File.OpenHandle(Path.GetTempFileName(), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.DeleteOnClose)).ToList();
        try
        {
            DescriptorPassing.Send(sender, [.. files.Select(f => (int)f.DangerousGetHandle())]);
            var received = DescriptorPassing.Receive(receiver, count);

            Assert.NotNull(received);
            Assert.Equal(files.Select(f => Link((int)f.DangerousGetHandle())), received.Select(Link));
            foreach (var descriptor in received)
            {
                Assert.Equal(0, LibC.close(descriptor));
            }
        }
        finally
        {
            files.ForEach(f => f.Dispose());
        }
    }

    private static string? Link(int descriptor) => new FileInfo($"/proc/self/fd/{descriptor}").LinkTarget;
}
