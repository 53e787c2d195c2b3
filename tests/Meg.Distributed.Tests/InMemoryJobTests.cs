using Meg.Channel;
using Meg.Diffusion.Pipeline;
using Meg.Distributed.Jobs;
using Meg.Distributed.Nodes;
using Meg.Distributed.Storage;
using Meg.Execution.Scheduling;
using Meg.Execution;
using Meg.Imaging;
using Meg.Protocols.BuiltIn;
using Meg.Protocols.Plans;
using Meg.Protocols;
using Microsoft.Extensions.DependencyInjection;

namespace Meg.Distributed.Tests;

/// <summary>Jobs run by the services' consumers and state machine on the in-memory transport match the in-process executor.</summary>
public sealed class InMemoryJobTests
{
    private const string Prompt = "a big red star";

    internal static RgbImage Sketch { get; } =
        RgbImage.Create(32, 32, (x, y) => Math.Abs(x - 16) + Math.Abs(y - 16) == 8 ? new Rgb(0, 0, 0) : new Rgb(255, 255, 255));

    internal static JobSpec Spec(ModelHost model, string protocol, string channel = "noiseless", double snrDb = 10, int steps = 6) => new()
    {
        Id = Guid.NewGuid(),
        Prompt = Prompt,
        Protocol = protocol,
        Plan = PlanParameters.ForModel(model.Dimensions, steps, 1, 2),
        Settings = new GenerationSettings { Steps = steps, Guidance = 3, RandomSeed = 11 },
        Channel = JobRequestValidator.ChannelFor(channel, snrDb),
        ChannelRandomSeed = 5,
        Model = model.Name,
    };

    [Theory]
    [InlineData("Centralized", "noiseless")]
    [InlineData("UIEG", "noiseless")]
    [InlineData("EIUG", "noiseless")]
    [InlineData("CIAG", "noiseless")]
    [InlineData("ESUC", "noiseless")]
    [InlineData("UIDCG", "noiseless")]
    [InlineData("UIDG", "noiseless")]
    [InlineData("DIUG", "noiseless")]
    [InlineData("DSUC", "noiseless")]
    [InlineData("DCSUC", "noiseless")]
    [InlineData("UIDCG", "rayleigh")]
    [InlineData("CIAG", "awgn")]
    [InlineData("ESUC", "digital")]
    public async Task A_job_gives_exactly_the_executors_images_and_accounting(string protocol, string channel)
    {
        await using var system = await InMemorySystem.StartAsync();
        var model = system.Provider.GetRequiredService<ModelHost>();
        var spec = Spec(model, protocol, channel, snrDb: 5);

        await system.SubmitAsync(spec, Sketch);
        var status = await system.WaitForEndAsync(spec.Id);

        Assert.Equal(JobStates.Completed, status.State);
        var plan = JobPlanning.Build(spec);
        var expected = new PlanExecutor(model.Pipeline).Run(plan, new GenerationRequest(spec.Prompt, Sketch, spec.Settings), spec.Transmission);
        var claims = system.Provider.GetRequiredService<ClaimCheckStore>();
        for (var share = 0; share < plan.ImagesPerRequest; share++)
        {
            Assert.Equal(expected.Images[share], await claims.TryGetAsync<RgbImage>(spec.Id, NodeId.UserEquipment, Artifact.ImageOf(share)));
        }

        Assert.Equal(plan.Steps.Count, status.Steps.Count);
        var transfers = status.Steps.Where(s => s.Transfer is not null).Select(s => s.Transfer!).ToArray();
        Assert.Equal(expected.Transfers.Select(t => (t.Values, t.Bits, t.ChannelUses, t.BitErrors)),
            transfers.Select(t => (t.Values, t.Bits, t.ChannelUses, t.BitErrors)));
        foreach (var link in Enum.GetValues<LinkKind>())
        {
            Assert.Equal(expected.ChannelUses(link), status.Accounting.Where(a => a.Link == link.ShortName()).Sum(a => a.ChannelUses));
        }

        // Each step says how much of its service time was the model or the channel; every denoising stage computed.
        Assert.All(status.Steps, s => Assert.InRange(s.ComputeMs, 0, s.ServiceMs));
        Assert.All(status.Steps.Where(s => s.Kind == "stage" && s.Description.StartsWith("D[", StringComparison.Ordinal)), s => Assert.True(s.ComputeMs > 0));
    }

    [Fact]
    public async Task With_batching_on_jobs_share_model_calls_and_still_give_exactly_the_executors_images()
    {
        await using var system = await InMemorySystem.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Meg:Batching:MaxBatch"] = "4",
            ["Meg:Batching:MaxWaitMs"] = "300",
        });
        var model = system.Provider.GetRequiredService<ModelHost>();
        var batches = new System.Collections.Concurrent.ConcurrentBag<(string Part, int Items)>();
        model.Batcher!.BatchRan += (part, items) => batches.Add((part, items));
        var specs = new[] { "Centralized", "Centralized", "EIUG", "UIDCG" }.Select((p, i) => Spec(model, p) with { Settings = Spec(model, p).Settings with { RandomSeed = (ulong)(20 + i) } }).ToArray();

        await Task.WhenAll(specs.Select(s => system.SubmitAsync(s, Sketch)));
        var statuses = await Task.WhenAll(specs.Select(s => system.WaitForEndAsync(s.Id)));

        var claims = system.Provider.GetRequiredService<ClaimCheckStore>();
        for (var i = 0; i < specs.Length; i++)
        {
            Assert.True(statuses[i].State == JobStates.Completed, statuses[i].Error);
            var expected = new PlanExecutor(model.Pipeline).Run(JobPlanning.Build(specs[i]), new GenerationRequest(specs[i].Prompt, Sketch, specs[i].Settings), specs[i].Transmission);
            Assert.Equal(expected.Images[0], await claims.TryGetAsync<RgbImage>(specs[i].Id, NodeId.UserEquipment, Artifact.ImageOf(0)));
        }

        Assert.Contains(batches, b => b.Part == "unet" && b.Items > 1);
    }

    [Fact]
    public async Task UIDCG_hands_the_seed_from_the_first_edge_server_to_the_second()
    {
        await using var system = await InMemorySystem.StartAsync();
        var spec = Spec(system.Provider.GetRequiredService<ModelHost>(), "UIDCG");

        await system.SubmitAsync(spec, Sketch);
        var status = await system.WaitForEndAsync(spec.Id);

        Assert.Contains(status.Steps, s => s.Kind == "stage" && s.Node == "ES1" && s.Description.StartsWith("D[", StringComparison.Ordinal));
        Assert.Contains(status.Steps, s => s.Kind == "stage" && s.Node == "ES2" && s.Description.StartsWith("D[", StringComparison.Ordinal));
        Assert.Contains(status.Steps, s => s.Link == "BH" && s.Node == "ES1->ES2" && s.Description.Contains("seed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_repeated_prompt_is_served_from_the_text_embedding_cache()
    {
        await using var system = await InMemorySystem.StartAsync();
        var model = system.Provider.GetRequiredService<ModelHost>();
        var first = Spec(model, "Centralized");
        var second = Spec(model, "Centralized");

        await system.SubmitAsync(first, Sketch);
        var a = await system.WaitForEndAsync(first.Id);
        await system.SubmitAsync(second, Sketch);
        var b = await system.WaitForEndAsync(second.Id);

        Assert.False(a.Steps.Single(s => s.Description.StartsWith("T ", StringComparison.Ordinal)).CacheHit);
        Assert.True(b.Steps.Single(s => s.Description.StartsWith("T ", StringComparison.Ordinal)).CacheHit);
    }

    [Theory]
    [InlineData("Centralized")]
    [InlineData("CIAG")]
    public async Task Steps_that_follow_each_other_on_one_node_or_link_go_in_one_command_and_keep_a_record_each(string protocol)
    {
        await using var system = await InMemorySystem.StartAsync();
        var spec = Spec(system.Provider.GetRequiredService<ModelHost>(), protocol);
        var plan = JobPlanning.Build(spec);
        var runs = PlanSchedule.Of(plan).Commands.Select(c => (c.FirstStep, c.Count)).ToList();

        await system.SubmitAsync(spec, Sketch);
        var status = await system.WaitForEndAsync(spec.Id);

        Assert.Equal(JobStates.Completed, status.State);
        // One record per command in the job's progress (a command the UE runs at once, released by its own, included).
        var commands = StepRecords.Read(await system.Store.HashGetAllAsync(JobStore.ProgressKey(spec.Id))).Select(m => (m.StepIndex, m.Runs.Count));
        Assert.Equal(runs, commands.OrderBy(c => c.StepIndex));
        Assert.Contains(runs, r => r.Count > 1 && plan.Steps[r.FirstStep] is Stage);
        Assert.True(runs.Count < plan.Steps.Count);
        Assert.Equal(Enumerable.Range(0, plan.Steps.Count), status.Steps.Select(s => s.Index));
        Assert.All(status.Steps, s => Assert.True(s.SentAt is not null && s.FinishedAt >= s.SentAt, $"step {s.Index} timestamps"));
        var schedule = PlanSchedule.Of(plan);
        foreach (var command in schedule.Commands)
        {
            foreach (var before in command.WaitsFor.Select(w => schedule.Commands[w]))
            {
                Assert.True(status.Steps[command.FirstStep].SentAt >= status.Steps[before.LastStep].FinishedAt,
                    $"step {command.FirstStep} was sent before step {before.LastStep}, which it waits for, finished");
            }
        }
    }

    [Fact]
    public async Task The_UE_encodes_the_prompt_and_the_sketch_at_once_and_records_both()
    {
        await using var system = await InMemorySystem.StartAsync();
        var spec = Spec(system.Provider.GetRequiredService<ModelHost>(), "CIAG");

        await system.SubmitAsync(spec, Sketch);
        var status = await system.WaitForEndAsync(spec.Id);

        Assert.Equal(JobStates.Completed, status.State);
        var text = status.Steps.Single(s => s.Kind == "stage" && s.Node == "UE" && s.Description.StartsWith('T'));
        var sketch = status.Steps.Single(s => s.Kind == "stage" && s.Node == "UE" && s.Description.StartsWith('E'));
        Assert.Equal(text.Index + 1, sketch.Index);
        // The sketch's encoding started before the text's ended (one after the other, it would start at that end).
        Assert.True(sketch.SentAt < text.FinishedAt, $"E started {sketch.SentAt:O}, T ended {text.FinishedAt:O}");
        Assert.True(sketch.FinishedAt > sketch.SentAt && sketch.ComputeMs > 0 && text.ServiceMs > 0);
    }

    [Theory]
    [InlineData("EIUG")]
    [InlineData("DIUG")]
    public async Task The_scheduler_sends_only_the_first_commands_and_the_workers_send_each_later_one_once(string protocol)
    {
        await using var system = await InMemorySystem.StartAsync();
        var spec = Spec(system.Provider.GetRequiredService<ModelHost>(), protocol);
        var schedule = PlanSchedule.Of(JobPlanning.Build(spec));

        await system.SubmitAsync(spec, Sketch);
        var status = await system.WaitForEndAsync(spec.Id);

        Assert.Equal(JobStates.Completed, status.State);
        var sent = system.Harness.Sent.Select<Meg.Contracts.RunStage>().Where(m => m.Context.Message.JobId == spec.Id).Select(m => (m.Context.Message.StepIndex, m.Context.SourceAddress))
            .Concat(system.Harness.Sent.Select<Meg.Contracts.CarryTransfer>().Where(m => m.Context.Message.JobId == spec.Id).Select(m => (m.Context.Message.StepIndex, m.Context.SourceAddress)))
            .ToArray();
        // Each command once (a UE command released by the UE's own runs there at once, without a message).
        Assert.Equal(sent.Select(s => s.StepIndex).Distinct().Count(), sent.Length);
        Assert.Subset(schedule.Commands.Select(c => c.FirstStep).ToHashSet(), sent.Select(s => s.StepIndex).ToHashSet());
        var scheduler = sent.Single(s => s.StepIndex == 0).SourceAddress;
        Assert.Equal(schedule.Sources.Select(c => c.FirstStep).Order(), sent.Where(s => s.SourceAddress == scheduler).Select(s => s.StepIndex).Order());
        Assert.Equal(Enumerable.Range(0, JobPlanning.Build(spec).Steps.Count), status.Steps.Select(s => s.Index));
    }

    [Fact]
    public async Task The_UE_runs_a_command_its_own_released_at_once_without_the_broker()
    {
        await using var system = await InMemorySystem.StartAsync();
        var spec = Spec(system.Provider.GetRequiredService<ModelHost>(), "CIAG");
        var plan = JobPlanning.Build(spec);

        await system.SubmitAsync(spec, Sketch);
        var status = await system.WaitForEndAsync(spec.Id);

        Assert.Equal(JobStates.Completed, status.State);
        // CIAG: the UE encodes, then denoises its first steps while the prompt goes up to ES1 and is encoded there.
        var firstDenoise = plan.Steps.Select((s, i) => (s, i)).First(p => p.s is Stage { Kind: StageKind.Denoise } st && st.Node.IsUserEquipment).i;
        var stageMessages = system.Harness.Consumed.Select<Meg.Contracts.RunStage>().Select(m => m.Context.Message).Where(m => m.JobId == spec.Id);
        Assert.DoesNotContain(stageMessages, m => m.StepIndex == firstDenoise);
        var record = status.Steps.Single(s => s.Index == firstDenoise);
        Assert.Equal(status.Steps.Single(s => s.Index == 0).Worker, record.Worker); // the worker of the UE's first command
        Assert.Equal(0, record.QueueMs);
    }

    [Fact]
    public async Task UIDG_edge_servers_do_not_wait_for_each_other()
    {
        // ES1 has no worker here: its command waits forever. ES2's share must still be generated and sent down.
        await using var system = await InMemorySystem.StartAsync(idleQueues: ["es-1"]);
        var spec = Spec(system.Provider.GetRequiredService<ModelHost>(), "UIDG");

        await system.SubmitAsync(spec, Sketch);
        var status = await system.WaitForAsync(spec.Id, s => s.Steps.Any(step => step.Link == "DL" && step.Node == "ES2->UE"));

        Assert.Equal(JobStates.Running, status.State);
        Assert.Contains(status.Steps, s => s.Kind == "stage" && s.Node == "ES2" && s.Description.StartsWith("D[", StringComparison.Ordinal));
        Assert.DoesNotContain(status.Steps, s => s.Kind == "stage" && s.Node == "ES1");
    }
}
