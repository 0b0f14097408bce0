namespace Shop.Orders;

/// <summary>
/// The one-shot job (<c>Orders migrate [--reset]</c>): brings the database to the current schema and exits 0, so the
/// stack starts the orders service only after it completed. <c>--reset</c> starts from an empty database first.
/// </summary>
public static partial class OrdersMigration
{
    public const string Command = "migrate";

    public static bool IsRequested(string[] args) => args is [Command, ..];

    public static int Run(string[] args, OrdersDatabase database, ILogger logger)
    {
        if (args.Skip(1).Any(arg => arg != "--reset"))
        {
            LogUsage(logger, string.Join(' ', args));
            return 2;
        }

        if (args.Contains("--reset"))
        {
            database.Delete();
            LogReset(logger, database.Path);
        }

        using var connection = database.Open();
        var from = OrdersSchema.Migrate(connection);
        LogMigrated(logger, database.Path, from, OrdersSchema.CurrentVersion);
        return 0;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unknown arguments '{Args}'; usage: migrate [--reset]")]
    private static partial void LogUsage(ILogger logger, string args);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleted the orders database {Path} (--reset)")]
    private static partial void LogReset(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Orders database {Path} migrated from schema version {From} to {To}")]
    private static partial void LogMigrated(ILogger logger, string path, int from, int to);
}
