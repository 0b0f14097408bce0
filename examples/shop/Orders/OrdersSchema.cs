using Microsoft.Data.Sqlite;

namespace Shop.Orders;

/// <summary>
/// The database's schema as numbered steps. The migrate job applies the steps a database lacks, each in a
/// transaction with its version; the service only checks that the database is current and refuses to run if not.
/// </summary>
public static class OrdersSchema
{
    private static readonly string[] s_steps =
    [
        """
        CREATE TABLE orders (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            visitor TEXT NOT NULL,
            status TEXT NOT NULL,
            total_cents INTEGER NOT NULL,
            payment_id TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE order_lines (
            order_id INTEGER NOT NULL REFERENCES orders (id),
            product_id TEXT NOT NULL,
            name TEXT NOT NULL,
            unit_price_cents INTEGER NOT NULL,
            quantity INTEGER NOT NULL
        );
        """,
        "CREATE INDEX orders_by_visitor ON orders (visitor, id);",
    ];

    public static int CurrentVersion => s_steps.Length;

    /// <summary>Applies every step the database lacks; returns the version it had before.</summary>
    public static int Migrate(SqliteConnection connection)
    {
        Execute(connection, "PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);");
        var from = VersionOf(connection);
        for (var version = from + 1; version <= CurrentVersion; version++)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, s_steps[version - 1], transaction);
            Execute(connection, $"DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES ({version});", transaction);
            transaction.Commit();
        }

        return from;
    }

    /// <exception cref="InvalidOperationException">The database is not at <see cref="CurrentVersion"/>.</exception>
    public static void RequireCurrent(SqliteConnection connection, string path)
    {
        var version = VersionOf(connection);
        if (version != CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The orders database {path} is at schema version {version}, this service needs {CurrentVersion}: run the migrate job first (`Orders migrate`, the stack's 'migrate' service).");
        }
    }

    private static int VersionOf(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
        if (command.ExecuteScalar() is null)
        {
            return 0;
        }

        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
