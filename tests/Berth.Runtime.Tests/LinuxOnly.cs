// The runtime's tests start real Linux containers; nothing here runs anywhere else.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
