using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Berth.Generator.Emit;
using Berth.Generator.Model;
using Berth.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Berth.Generator;

/// <summary>
/// Turns the project's stack.toml (an AdditionalFile) into typed C#: parse → equatable model → diagnostics → emit.
/// Reads nothing but AdditionalFiles, and never throws.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class StackGenerator : IIncrementalGenerator
{
    public const string StackFileName = "stack.toml";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var stackFiles = context.AdditionalTextsProvider
            .Where(static file => string.Equals(Path.GetFileName(file.Path), StackFileName, StringComparison.OrdinalIgnoreCase))
            .Select(static (file, cancellationToken) => new StackFile(file.Path, file.GetText(cancellationToken)?.ToString()))
            .WithTrackingName(TrackingNames.StackFiles);

        var existingFiles = context.AdditionalTextsProvider
            .Where(static file => string.Equals(Path.GetFileName(file.Path), ExistingFiles.ListFileName, StringComparison.Ordinal))
            .Select(static (file, cancellationToken) => file.GetText(cancellationToken)?.ToString() ?? string.Empty)
            .Collect()
            .Select(static (lists, _) => lists.IsEmpty
                ? null
                : new ExistingFileList(lists
                    .SelectMany(list => list.Split('\n'))
                    .Select(line => line.Trim())
                    .Where(line => line.Length > 0)
                    .Distinct()
                    .OrderBy(line => line, StringComparer.Ordinal)
                    .ToEquatableArray()))
            .WithTrackingName(TrackingNames.ExistingFiles);

        var parsed = stackFiles
            .Combine(existingFiles)
            .Select(static (pair, _) => pair.Left.Text is null
                ? new ParseResult(pair.Left.Path, null, EquatableArray<DiagnosticInfo>.Empty)
                : StackParser.Parse(pair.Left.Path, pair.Left.Text, pair.Right is null ? null : new HashSet<string>(pair.Right.Paths, StringComparer.Ordinal)))
            .WithTrackingName(TrackingNames.Parse);

        context.RegisterSourceOutput(parsed, static (spc, result) =>
        {
            foreach (var diagnostic in result.Diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic(result.Path));
            }
        });

        context.RegisterSourceOutput(stackFiles.Collect(), static (spc, files) =>
        {
            if (files.Length > 1)
            {
                var paths = string.Join(", ", files.Select(f => f.Path).OrderBy(p => p, StringComparer.Ordinal));
                foreach (var file in files)
                {
                    spc.ReportDiagnostic(DiagnosticInfo.Create(DiagnosticDescriptors.MultipleStackFiles, SourceLocation.FileStart, paths).ToDiagnostic(file.Path));
                }
            }
        });

        var rootNamespace = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var ns) && !string.IsNullOrWhiteSpace(ns) ? ns : null);

        // A project with its own Main or top-level statements keeps it; others get the stack's command line.
        var hasEntryPoint = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is GlobalStatementSyntax
                    || (node is MethodDeclarationSyntax { Identifier.ValueText: "Main" } method && method.Modifiers.Any(SyntaxKind.StaticKeyword)),
                static (_, _) => true)
            .Collect()
            .Select(static (found, _) => !found.IsEmpty);

        var isExecutable = context.CompilationProvider
            .Select(static (compilation, _) => compilation.Options.OutputKind is OutputKind.ConsoleApplication or OutputKind.WindowsApplication);

        var emitOptions = rootNamespace
            .Combine(hasEntryPoint)
            .Combine(isExecutable)
            .Select(static (pair, _) => new EmitOptions(pair.Left.Left, EmitMain: pair.Right && !pair.Left.Right))
            .WithTrackingName(TrackingNames.EmitOptions);

        var models = parsed
            .Select(static (result, _) => result.Model)
            .WithTrackingName(TrackingNames.Model);

        // With more than one stack.toml the project is in error (BERTH0024): no stack is emitted (the types would
        // clash), only the one stand-in entry point below.
        var stackCount = stackFiles.Collect().Select(static (files, _) => files.Length);

        context.RegisterSourceOutput(models.Combine(emitOptions).Combine(stackCount), static (spc, input) =>
        {
            var ((model, options), count) = input;
            if (count != 1)
            {
                return;
            }

            if (model is not null)
            {
                spc.AddSource(StackEmitter.HintName(model), StackEmitter.Emit(model, options));
            }
            else if (options.EmitMain)
            {
                // stack.toml has errors; an entry point keeps the build output to the BERTH diagnostics (no CS5001).
                spc.AddSource(StackEmitter.FallbackMainHintName, StackEmitter.EmitFallbackMain(options));
            }
        });

        context.RegisterSourceOutput(stackCount.Combine(emitOptions), static (spc, input) =>
        {
            if (input.Left > 1 && input.Right.EmitMain)
            {
                spc.AddSource(StackEmitter.FallbackMainHintName, StackEmitter.EmitFallbackMain(input.Right));
            }
        });
    }

    private sealed record StackFile(string Path, string? Text);

    private sealed record ExistingFileList(EquatableArray<string> Paths);
}
