using Microsoft.Data.Sqlite;
using Shop.Orders;

namespace Shop.Services.Tests.Orders;

public sealed class OrdersSchemaTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("shop-orders-").FullName;

    private OrdersDatabase Database => new(Path.Combine(_directory, "orders.db"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void MigratingANewDatabaseAppliesEveryStep_AndAgainNone()
    {
        using var connection = Database.Open();

        Assert.Equal(0, OrdersSchema.Migrate(connection));
        Assert.Equal(OrdersSchema.CurrentVersion, OrdersSchema.Migrate(connection));
        OrdersSchema.RequireCurrent(connection, Database.Path);
    }

    [Fact]
    public void TheServiceRefusesADatabaseThatWasNotMigrated()
    {
        using var connection = Database.Open();

        var error = Assert.Throws<InvalidOperationException>(() => OrdersSchema.RequireCurrent(connection, Database.Path));
        Assert.Equal(
            $"The orders database {Database.Path} is at schema version 0, this service needs {OrdersSchema.CurrentVersion}: run the migrate job first (`Orders migrate`, the stack's 'migrate' service).",
            error.Message);
    }

    [Fact]
    public void TheMigrateJobWithResetStartsFromAnEmptyDatabase()
    {
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        Assert.Equal(0, OrdersMigration.Run(["migrate"], Database, logger));
        new OrderRepository(Database, TimeProvider.System).Add("ann", [new OrderLine("beans", "Beans", 1600, 1)]);

        Assert.Equal(0, OrdersMigration.Run(["migrate"], Database, logger));
        Assert.Single(new OrderRepository(Database, TimeProvider.System).ForVisitor("ann"));

        Assert.Equal(0, OrdersMigration.Run(["migrate", "--reset"], Database, logger));
        Assert.Empty(new OrderRepository(Database, TimeProvider.System).ForVisitor("ann"));
        Assert.Equal(2, OrdersMigration.Run(["migrate", "--everything"], Database, logger));
    }
}
