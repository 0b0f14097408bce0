namespace Berth.Generator.Toml;

/// <summary>
/// How a table came to exist. TOML 1.0 lets a table be defined only once, and what may still add to it depends on
/// how it was defined; <see cref="TomlTreeBuilder"/> checks that with this.
/// </summary>
internal enum TomlTableOrigin
{
    /// <summary>
    /// Created on the way to a deeper header: <c>[a.b]</c> creates <c>a</c> without defining it, so a later
    /// <c>[a]</c> may still define it, and so may dotted keys that pass through it (then no header may).
    /// </summary>
    Implicit,

    /// <summary>
    /// Defined by its own <c>[header]</c> (or <c>[[header]]</c>, for an element of an array of tables). Another
    /// header for it is a redefinition, and dotted keys written elsewhere may not add to it.
    /// </summary>
    Header,

    /// <summary>
    /// Defined by dotted keys: <c>a.b = 1</c> defines <c>a</c>. More dotted keys may add to it (they can reach it only
    /// from the section that defined it), a header for it may not; a header for a table inside it may.
    /// </summary>
    DottedKeys,

    /// <summary>Written inline, <c>{ … }</c>: complete as written, nothing outside the braces may add to it.</summary>
    Inline,
}
