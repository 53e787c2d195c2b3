using Meg.Components.Jobs;
using Meg.Components.Storage;
using Microsoft.Extensions.Options;

namespace Meg.Distributed.Tests;

/// <summary>The state machine reads back the status it wrote last from memory; everyone else reads the store.</summary>
public sealed class JobStoreTests
{
    private static JobStatus Status(Guid id, string state) => new() { Id = id, Protocol = "CIAG", StepCount = 10, State = state };

    [Fact]
    public async Task The_writer_reads_its_own_last_status_without_the_store()
    {
        var store = new InMemoryBlobStore();
        var jobs = new JobStore(store, Options.Create(new StorageOptions()));
        var id = Guid.NewGuid();
        await jobs.SaveStatusAsync(Status(id, JobStates.Queued));
        await jobs.SaveStatusAsync(Status(id, JobStates.Running));
        await store.DeleteAsync(JobStore.StatusKey(id));

        Assert.Equal(JobStates.Running, (await jobs.GetOwnStatusAsync(id))?.State);
        Assert.Null(await jobs.GetStatusAsync(id)); // the public read always goes to the store
    }

    [Fact]
    public async Task A_restarted_writer_reads_the_stored_status()
    {
        var store = new InMemoryBlobStore();
        var id = Guid.NewGuid();
        await new JobStore(store, Options.Create(new StorageOptions())).SaveStatusAsync(Status(id, JobStates.Running));

        var restarted = new JobStore(store, Options.Create(new StorageOptions()));

        Assert.Equal(JobStates.Running, (await restarted.GetOwnStatusAsync(id))?.State);
        Assert.Null(await restarted.GetOwnStatusAsync(Guid.NewGuid()));
    }
}
