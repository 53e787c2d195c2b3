using System.Text.Json;
using Meg.Distributed.Jobs;
using Meg.Distributed.Storage;

namespace Meg.Distributed.Scheduler;

/// <summary>
/// Keeps every unfinished job's state-machine record in Redis (one key per job and a set of the active ones),
/// so a restarted scheduler reloads them and can still end them (their completion or failure may wait in its queue).
/// </summary>
public sealed class SagaStateStore(IBlobStore store)
{
    public const string ActiveSetKey = "meg:saga:jobs:active";

    public static string Key(Guid id) => $"meg:saga:job:{id:N}";

    /// <summary>A new job's record and its place in the active set, in one round trip (pipelined). A reload skips a
    /// member whose record is missing, so the order of the two writes does not matter.</summary>
    public Task AddAsync(JobState state) => Task.WhenAll(
        store.SetAsync(Key(state.CorrelationId), JsonSerializer.SerializeToUtf8Bytes(state, MegJson.Options), null),
        store.SetAddAsync(ActiveSetKey, state.CorrelationId.ToString("N")));

    public Task RemoveAsync(Guid id) => Task.WhenAll(store.SetRemoveAsync(ActiveSetKey, id.ToString("N")), store.DeleteAsync(Key(id)));

    public async Task<IReadOnlyList<JobState>> LoadActiveAsync()
    {
        var states = new List<JobState>();
        foreach (var member in await store.SetMembersAsync(ActiveSetKey))
        {
            var bytes = await store.GetAsync(Key(Guid.ParseExact(member, "N")));
            if (bytes is not null && JsonSerializer.Deserialize<JobState>(bytes, MegJson.Options) is { } state)
            {
                states.Add(state);
            }
        }

        return states;
    }
}
