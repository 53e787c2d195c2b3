using Meg.Distributed.Admission;
using Meg.Distributed.Jobs;
using Meg.Distributed.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Tests;

/// <summary>Queue counters and the queue timeout that fails a job whose command waited too long.</summary>
public sealed class QueueWatchTests
{
    private readonly InMemoryBlobStore _store = new();

    private QueueWatch Watch(double timeoutMs = 10_000) =>
        new(_store, Options.Create(new QueueOptions { TimeoutMs = timeoutMs }), NullLogger<QueueWatch>.Instance);

    private static JobSpec Spec(double? maxWaitMs) => new()
    {
        Id = Guid.NewGuid(),
        Prompt = "a red star",
        Protocol = "CIAG",
        Plan = new Meg.Protocols.PlanParameters(),
        Settings = new Meg.Diffusion.Pipeline.GenerationSettings(),
        Channel = JobRequestValidator.ChannelFor("noiseless", 10),
        Model = "test",
        MaxWaitMs = maxWaitMs,
    };

    [Fact]
    public void A_command_that_waited_past_the_deployment_limit_fails_saying_how_long_for_whom_and_the_limit()
    {
        var error = Assert.Throws<QueueTimeoutException>(() => Watch(10_000).ThrowIfWaitedTooLong(Spec(null), 12_345, "es-2"));

        Assert.Equal("waited 12.3 s for es-2; limit 10 s", error.Message);
    }

    [Fact]
    public void The_jobs_own_limit_wins_over_the_deployments()
    {
        Watch(10_000).ThrowIfWaitedTooLong(Spec(null), 9_000, "es-1");
        Assert.Throws<QueueTimeoutException>(() => Watch(10_000).ThrowIfWaitedTooLong(Spec(500), 501, "es-1"));
        Watch(10_000).ThrowIfWaitedTooLong(Spec(20_000), 15_000, "es-1");
    }

    [Fact]
    public async Task Depth_and_work_in_progress_follow_the_counts_and_means_come_from_the_totals()
    {
        var watch = Watch();
        watch.Sent("es-1");
        watch.Sent("es-1");
        watch.Sent("es-1");
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        watch.Started("es-1", first);
        watch.Started("es-1", second);
        watch.Finished("es-1", first, queueMs: 100, serviceMs: 400);

        var counters = await EventuallyAsync(() => watch.ReadAsync("es-1"), c => c.Finished == 1 && c.InProgress == 1);

        Assert.Equal(1, counters.Depth);
        Assert.Equal(1, counters.InProgress);
        Assert.Equal(100, counters.MeanWaitMs);
        Assert.Equal(400, counters.MeanServiceMs);
    }

    [Fact]
    public async Task A_redelivered_command_counts_once_and_is_not_left_running()
    {
        var watch = Watch();
        var (killedMidway, ackLost) = (Guid.NewGuid(), Guid.NewGuid());
        watch.Sent("es-1");
        watch.Sent("es-1");
        // Its worker was killed while it ran; the redelivery ran it again.
        watch.Started("es-1", killedMidway);
        watch.Started("es-1", killedMidway, firstDelivery: false);
        watch.Finished("es-1", killedMidway, queueMs: 10, serviceMs: 20);
        // It finished, but the broker died before the acknowledgement; the redelivery ran it again.
        watch.Started("es-1", ackLost);
        watch.Finished("es-1", ackLost, queueMs: 10, serviceMs: 20);
        watch.Started("es-1", ackLost, firstDelivery: false);
        watch.Finished("es-1", ackLost, queueMs: 30, serviceMs: 40);

        var counters = await EventuallyAsync(() => watch.ReadAsync("es-1"), c => c.Finished == 2 && c.InProgress == 0);

        Assert.Equal((2, 2, 2, 0, 0), (counters.Sent, counters.Started, counters.Finished, counters.InProgress, counters.Depth));
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        for (var i = 0; ; i++)
        {
            var value = await read();
            if (done(value) || i == 100)
            {
                return value;
            }

            await Task.Delay(10);
        }
    }
}
