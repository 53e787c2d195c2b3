using Meg.Distributed.Commands;
using Meg.Distributed.Storage;
using Meg.Execution.Scheduling;
using Meg.Protocols;
using Meg.Protocols.BuiltIn;
using Meg.Protocols.Plans;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Tests;

/// <summary>A join's sign-in goes out behind the finishing command's writes, without waiting for their replies, and
/// releases nothing unless the writes land.</summary>
public sealed class CommandReleaseTests
{
    private static readonly PlanSchedule Ciag = PlanSchedule.Of(Plan("CIAG"));

    /// <summary>CIAG's ES1 denoising, which waits for ES1's text encoding and for the uplinked seed.</summary>
    private static readonly PlanCommand Join = Ciag.Commands.First(c => c.Predecessors.Count > 1);

    private static readonly (PlanCommand First, PlanCommand Last) Predecessors = (Ciag.Commands[Join.Predecessors[0]], Ciag.Commands[Join.Predecessors[1]]);

    [Fact]
    public async Task The_last_predecessor_signs_in_before_its_writes_are_confirmed_and_releases_the_join_once_they_are()
    {
        var store = new InMemoryBlobStore();
        var release = new CommandRelease(store, Options.Create(new StorageOptions()));
        var job = Guid.NewGuid();
        var (first, last) = Predecessors;
        Assert.DoesNotContain(Join, await release.AfterAsync(job, Ciag, first, Task.CompletedTask));

        var writes = new TaskCompletionSource();
        var releasing = release.AfterAsync(job, Ciag, last, writes.Task);
        Assert.Equal(2, (await store.SetMembersAsync(CommandRelease.Key(job, Join.FirstStep))).Count);
        Assert.False(releasing.IsCompleted);

        writes.SetResult();
        Assert.Contains(Join, await releasing);
    }

    [Fact]
    public async Task A_failed_write_releases_nothing_and_the_retry_releases_the_join()
    {
        var release = new CommandRelease(new InMemoryBlobStore(), Options.Create(new StorageOptions()));
        var job = Guid.NewGuid();
        var (first, last) = Predecessors;
        await release.AfterAsync(job, Ciag, first, Task.CompletedTask);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            release.AfterAsync(job, Ciag, last, Task.FromException(new InvalidOperationException("Redis refused the write"))));

        Assert.Contains(Join, await release.AfterAsync(job, Ciag, last, Task.CompletedTask));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Releasing_commands_as_they_finish_sends_each_once_and_only_after_all_it_waits_for(int seed)
    {
        var random = new Random(seed);
        foreach (var name in ProtocolCatalog.Names)
        {
            var schedule = PlanSchedule.Of(Plan(name));
            var release = new CommandRelease(new InMemoryBlobStore(), Options.Create(new StorageOptions()));
            var job = Guid.NewGuid();
            var sent = new List<int>();
            var done = new HashSet<int>();
            var running = new List<PlanCommand>(schedule.Sources);
            sent.AddRange(running.Select(c => c.FirstStep));
            while (running.Count > 0)
            {
                // Any command out may finish next: parallel branches finish in any order.
                var finished = running[random.Next(running.Count)];
                running.Remove(finished);
                Assert.All(finished.WaitsFor, w => Assert.Contains(schedule.Commands[w].FirstStep, done));
                done.Add(finished.FirstStep);
                var released = await release.AfterAsync(job, schedule, finished, Task.CompletedTask);
                sent.AddRange(released.Select(c => c.FirstStep));
                running.AddRange(released);
            }

            Assert.Equal(schedule.Commands.Select(c => c.FirstStep).Order(), sent.Order());
        }
    }

    private static ProtocolPlan Plan(string protocol) =>
        ProtocolCatalog.Build(protocol, PlanParameters.ForModel(ModelDimensions.MegTiny, 20, 1, 2));
}
