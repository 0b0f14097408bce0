using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Berth.Generator.Model;

/// <summary>A diagnostic as plain data: which descriptor, where, and the message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, SourceLocation Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SourceLocation location, params string[] arguments) =>
        new(descriptor.Id, location, arguments.ToEquatableArray());

    public DiagnosticDescriptor Descriptor => DiagnosticDescriptors.ById(Id);

    public Diagnostic ToDiagnostic(string path) => Diagnostic.Create(
        Descriptor,
        Microsoft.CodeAnalysis.Location.Create(path, Location.Span, Location.LineSpan),
        Arguments.Cast<object>().ToArray());

    /// <summary>The formatted message, as the build prints it.</summary>
    public string Message => string.Format(System.Globalization.CultureInfo.InvariantCulture, Descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), Arguments.Cast<object>().ToArray());
}
