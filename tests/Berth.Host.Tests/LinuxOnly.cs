// The host's tests run stacks in real Linux containers; nothing here runs anywhere else.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
