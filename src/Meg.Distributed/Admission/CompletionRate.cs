namespace Meg.Distributed.Admission;

/// <summary>How many jobs ended per second over the last <see cref="Window"/>: how fast a backlog drains.</summary>
public sealed class CompletionRate(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    private readonly Queue<DateTimeOffset> _ends = new();
    private readonly Lock _lock = new();

    public void Record()
    {
        lock (_lock)
        {
            _ends.Enqueue(clock.GetUtcNow());
            Trim();
        }
    }

    /// <summary>Jobs per second, or null before any ended in the window.</summary>
    public double? PerSecond()
    {
        lock (_lock)
        {
            Trim();
            if (_ends.Count == 0)
            {
                return null;
            }

            // Over the window, or since the first end when the window is not full yet (at least one second).
            var span = Math.Max(1, Math.Min(Window.TotalSeconds, (clock.GetUtcNow() - _ends.Peek()).TotalSeconds));
            return _ends.Count / span;
        }
    }

    private void Trim()
    {
        var since = clock.GetUtcNow() - Window;
        while (_ends.Count > 0 && _ends.Peek() < since)
        {
            _ends.Dequeue();
        }
    }
}
