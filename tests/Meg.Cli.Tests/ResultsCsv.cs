using System.Globalization;

namespace Meg.Cli.Tests;

/// <summary>An experiment's CSV read by column name, so tests do not break when columns are added.</summary>
internal sealed class ResultsCsv
{
    private ResultsCsv(string[] header, string[][] rows) => (Header, Rows) = (header, rows);

    public string[] Header { get; }

    public string[][] Rows { get; }

    public static ResultsCsv Read(string path)
    {
        var lines = File.ReadAllLines(path);
        return new ResultsCsv(lines[0].Split(','), lines.Skip(1).Select(l => l.Split(',')).ToArray());
    }

    public string Text(string[] row, string column)
    {
        var index = Array.IndexOf(Header, column);
        return index >= 0 ? row[index] : throw new KeyNotFoundException($"No column '{column}' in {string.Join(",", Header)}.");
    }

    public double Number(string[] row, string column) => double.Parse(Text(row, column), CultureInfo.InvariantCulture);

    /// <summary>The row of a protocol's standard run (or the given variant) at an SNR.</summary>
    public string[] Row(string protocol, string snrDb, string variant = "standard") =>
        Rows.Single(r => Text(r, "protocol") == protocol && Text(r, "variant") == variant && Text(r, "snr_db") == snrDb);
}
