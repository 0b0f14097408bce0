using Berth.Host.Control;

namespace Berth.Host.Tests.Control;

/// <summary><c>ps</c>'s table: aligned columns, a dash where there is nothing to show, and the exit of a replica that ended.</summary>
public sealed class StackStatusTableTests
{
    [Fact]
    public void ColumnsAreAlignedAndEmptyCellsAreDashes()
    {
        var started = new DateTimeOffset(2025, 1, 31, 12, 0, 0, TimeSpan.Zero);
        var status = new StackStatusDocument("shop", "prod", 4242, started, "http://127.0.0.1:8080/",
        [
            new ReplicaStatusDocument("catalog-1", "catalog", 1, "running", "healthy", 0, 31337, 43_201_331, started, 185, "catalog-1-0a1b2c3d", null, null),
            new ReplicaStatusDocument("migrations-1", "migrations", 1, "exited", null, 0, null, null, null, null, null, new ExitDocument(0, null, false, "exit code 0"), null),
            new ReplicaStatusDocument("orders-1", "orders", 1, "restarting", null, 3, null, null, null, null, null, new ExitDocument(137, 9, false, "killed by signal 9 (SIGKILL)"), null),
        ]);

        var table = StackStatusTable.Format(status, started.AddMinutes(3).AddSeconds(7));

        Assert.Equal(
            """
            Stack 'shop' (prod): PID 4242, up 3m07s, gateway http://127.0.0.1:8080/
            NAME          SERVICE     STATE                                      HEALTH   RESTARTS  PID    MEMORY    UPTIME
            catalog-1     catalog     running                                    healthy  0         31337  41.2 MiB  3m05s
            migrations-1  migrations  exited (exit code 0)                       -        0         -      -         -
            orders-1      orders      restarting (killed by signal 9 (SIGKILL))  -        3         -      -         -
            """.ReplaceLineEndings("\n"),
            table);
    }

    [Theory]
    [InlineData(512, "512 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(3L * 1024 * 1024 * 1024, "3.0 GiB")]
    public void MemoryIsInBinaryUnits(long bytes, string expected) => Assert.Equal(expected, StackStatusTable.Memory(bytes));

    [Theory]
    [InlineData(42, "42s")]
    [InlineData(3600 + 125, "1h02m")]
    [InlineData((3 * 86400) + (4 * 3600), "3d04h")]
    public void UptimeIsShort(int seconds, string expected) => Assert.Equal(expected, StackStatusTable.Uptime(TimeSpan.FromSeconds(seconds)));
}
