namespace Berth.Runtime.Probe;

/// <summary>
/// The <c>caps-drop</c> verb's options:
/// <c>--keep NAME</c> (repeatable) the capabilities to keep;
/// <c>--user SPEC</c> the user to switch to, resolved against this machine's <c>/etc/passwd</c> and <c>/etc/group</c>;
/// <c>--groups GID,GID</c> supplementary groups for that user instead of the resolved ones;
/// <c>--no-new-privs</c> set no_new_privs after the drop;
/// <c>--host-lacks NAME</c> (repeatable) drop NAME from the bounding set first, as on a host whose Berth runs without it;
/// <c>--host-groups GID,GID</c> give the thread those supplementary groups first, as a host's Berth might have.
/// </summary>
internal sealed record CapabilityDropOptions(
    IReadOnlyList<string> Keep, string? User, IReadOnlyList<uint>? Groups, bool NoNewPrivs, IReadOnlyList<string> HostLacks, IReadOnlyList<uint> HostGroups)
{
    public static CapabilityDropOptions Parse(IReadOnlyList<string> args)
    {
        var keep = new List<string>();
        string? user = null;
        IReadOnlyList<uint>? groups = null;
        var noNewPrivs = false;
        var hostLacks = new List<string>();
        IReadOnlyList<uint> hostGroups = [];
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--keep":
                    keep.Add(Value(args, ++i));
                    break;
                case "--user":
                    user = Value(args, ++i);
                    break;
                case "--groups":
                    groups = Ids(Value(args, ++i));
                    break;
                case "--host-groups":
                    hostGroups = Ids(Value(args, ++i));
                    break;
                case "--host-lacks":
                    hostLacks.Add(Value(args, ++i));
                    break;
                case "--no-new-privs":
                    noNewPrivs = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        return new CapabilityDropOptions(keep, user, groups, noNewPrivs, hostLacks, hostGroups);
    }

    private static uint[] Ids(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(id => uint.Parse(id, System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();

    private static string Value(IReadOnlyList<string> args, int index) =>
        index < args.Count ? args[index] : throw new ArgumentException($"'{args[index - 1]}' needs a value.");
}
