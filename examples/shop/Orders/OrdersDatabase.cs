using Microsoft.Data.Sqlite;

namespace Shop.Orders;

/// <summary>Where the orders live: one SQLite file, on the stack's named volume (<c>Orders:Database</c>, default /data/orders.db).</summary>
public sealed class OrdersDatabase(string path)
{
    public const string ConfigurationKey = "Orders:Database";
    public const string DefaultPath = "/data/orders.db";

    public string Path { get; } = path;

    public static OrdersDatabase From(IConfiguration configuration) => new(configuration[ConfigurationKey] ?? DefaultPath);

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Removes the database and SQLite's side files: a fresh start, for the test environment.</summary>
    public void Delete()
    {
        foreach (var file in (string[])[Path, $"{Path}-wal", $"{Path}-shm", $"{Path}-journal"])
        {
            File.Delete(file);
        }
    }
}
