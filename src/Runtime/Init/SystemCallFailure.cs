using System.Runtime.InteropServices;

namespace Berth.Runtime.Init;

/// <summary>The error of a failed system or C library call in the init: the call, the error's text and its number.</summary>
internal static class SystemCallFailure
{
    public static string Describe(string call, int errno) => $"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";

    public static InvalidOperationException Create(string call, int errno) => new(Describe(call, errno));

    /// <summary>For a call that returned -1 and set <c>errno</c>.</summary>
    public static InvalidOperationException FromLastError(string call) => Create(call, Marshal.GetLastPInvokeError());
}
