namespace Meg.Diffusion.Batching;

/// <summary>One caller's model call waiting in the batcher: its input and the task its result completes. Cancelling the
/// caller's token ends the task at once; the batcher drops the call at its next step.</summary>
internal sealed class ModelCall<TInput, TResult>
{
    private readonly TaskCompletionSource<TResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenRegistration _cancellation;

    public ModelCall(TInput input, CancellationToken cancellationToken)
    {
        Input = input;
        _cancellation = cancellationToken.Register(() => _done.TrySetCanceled(cancellationToken));
    }

    public TInput Input { get; }

    public Task<TResult> Task => _done.Task;

    /// <summary>Ended: completed, failed or cancelled.</summary>
    public bool Ended => _done.Task.IsCompleted;

    public void Complete(TResult result)
    {
        _done.TrySetResult(result);
        _cancellation.Dispose();
    }

    public void Fail(Exception error)
    {
        _done.TrySetException(error);
        _cancellation.Dispose();
    }
}
