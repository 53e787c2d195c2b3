using Meg.Imaging;
using Meg.Protocols.Plans;
using Spectre.Console;

namespace Meg.Cli;

/// <summary>Turns bad input into a one-line message and exit code 2 instead of a stack trace.</summary>
internal static class CliErrors
{
    public const int BadInput = 2;

    public static int Run(Action action) => Run(() =>
    {
        action();
        return Task.FromResult(0);
    }).GetAwaiter().GetResult();

    public static async Task<int> Run(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or PlanValidationException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or InvalidImageException)
        {
            // ArgumentException appends "(Parameter 'x')"; the message already names the field.
            var message = e is ArgumentException { ParamName: { } name } a ? a.Message.Replace($" (Parameter '{name}')", "") : e.Message;
            Console.Error.WriteLine($"error: {message}");
            return BadInput;
        }
    }
}
