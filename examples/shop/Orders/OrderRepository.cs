using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Shop.Orders;

/// <summary>Orders in the SQLite database: a connection per call (SQLite opens in microseconds), WAL for concurrent readers.</summary>
public sealed class OrderRepository(OrdersDatabase database, TimeProvider time)
{
    public Order Add(string visitor, IReadOnlyList<OrderLine> lines)
    {
        var total = lines.Sum(line => line.UnitPriceCents * line.Quantity);
        var createdAt = time.GetUtcNow();
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        using var insert = Command(connection, transaction,
            "INSERT INTO orders (visitor, status, total_cents, created_at) VALUES ($visitor, $status, $total, $created) RETURNING id",
            ("$visitor", visitor), ("$status", nameof(OrderStatus.Pending)), ("$total", total), ("$created", createdAt.ToString("O", CultureInfo.InvariantCulture)));
        var id = (long)insert.ExecuteScalar()!;
        foreach (var line in lines)
        {
            using var insertLine = Command(connection, transaction,
                "INSERT INTO order_lines (order_id, product_id, name, unit_price_cents, quantity) VALUES ($order, $product, $name, $price, $quantity)",
                ("$order", id), ("$product", line.ProductId), ("$name", line.Name), ("$price", line.UnitPriceCents), ("$quantity", line.Quantity));
            insertLine.ExecuteNonQuery();
        }

        transaction.Commit();
        return new Order(id, visitor, OrderStatus.Pending, total, null, createdAt, lines);
    }

    public void SetPayment(long id, OrderStatus status, string? paymentId)
    {
        using var connection = database.Open();
        using var update = Command(connection, null, "UPDATE orders SET status = $status, payment_id = $payment WHERE id = $id",
            ("$status", status.ToString()), ("$payment", (object?)paymentId ?? DBNull.Value), ("$id", id));
        update.ExecuteNonQuery();
    }

    public Order? Find(long id) => Query("WHERE id = $id", ("$id", id)).SingleOrDefault();

    public IReadOnlyList<Order> ForVisitor(string visitor) => Query("WHERE visitor = $visitor ORDER BY id DESC", ("$visitor", visitor));

    private List<Order> Query(string where, params (string Name, object Value)[] parameters)
    {
        using var connection = database.Open();
        var orders = new List<Order>();
        using (var select = Command(connection, null, $"SELECT id, visitor, status, total_cents, payment_id, created_at FROM orders {where}", parameters))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                orders.Add(new Order(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    Enum.Parse<OrderStatus>(reader.GetString(2)),
                    reader.GetInt64(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture),
                    []));
            }
        }

        return [.. orders.Select(order => order with { Lines = LinesOf(connection, order.Id) })];
    }

    private static List<OrderLine> LinesOf(SqliteConnection connection, long orderId)
    {
        using var select = Command(connection, null,
            "SELECT product_id, name, unit_price_cents, quantity FROM order_lines WHERE order_id = $order ORDER BY rowid", ("$order", orderId));
        using var reader = select.ExecuteReader();
        var lines = new List<OrderLine>();
        while (reader.Read())
        {
            lines.Add(new OrderLine(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3)));
        }

        return lines;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
