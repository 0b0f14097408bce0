using Berth.Generator.Model;
using Berth.Generator.Parsing;
using Berth.Generator.Toml;

namespace Berth.Generator.Tests;

/// <summary>
/// TOML 1.0 lets a key be set, and a table be defined, only once. The generator checks that itself while it builds
/// its tree (Tomlyn's own check is off, see <see cref="TomlTreeBuilder"/>): every way of breaking the rule is a
/// BERTH0001 at the second definition, naming the first; and what TOML allows, including what Tomlyn's check
/// wrongly refused, still reads. Both lists agree with Python's tomllib.
/// </summary>
public class TomlDefinitionTests
{
    /// <summary>Each forbidden definition: the TOML, where the error must be (one-based), and what it must say.</summary>
    public static TheoryData<string, string, int, int, string> Redefinitions => new()
    {
        { "a key set twice", "dupe = false\ndupe = true", 2, 1, "'dupe' is already set on line 1; a key may be set only once, so remove one of the two" },
        { "a quoted and a bare key", "\"a\" = 1\na = 2", 2, 1, "'a' is already set on line 1" },
        { "a key set twice in a section", "[stack]\nname = \"a\"\nname = \"b\"", 3, 1, "'stack.name' is already set on line 2" },
        { "a dotted key set twice", "a.b = 1\na.b = 2", 2, 1, "'a.b' is already set on line 1" },
        { "a dotted key through a value", "a = 1\na.b = 2", 2, 1, "'a.b' cannot be set: 'a' is already set to an integer on line 1, not a table" },
        { "a value for a table made by dotted keys", "a.b = 1\na = 2", 2, 1, "'a' is already defined as a table on line 1, so it cannot also be set here" },
        { "an inline table for a table made by dotted keys", "a.b = 0\na = {}", 2, 1, "'a' is already defined as a table on line 1" },
        { "a table defined twice", "[a]\nb = 1\n[a]\nc = 2", 3, 2, "[a] is defined twice, first on line 1; put all of the table's keys under one [a] header" },
        { "a super-table defined twice", "[a.b]\n[a]\n[a]", 3, 2, "[a] is defined twice, first on line 2" },
        { "a header for a table made by dotted keys", "[fruit]\napple.color = \"red\"\n[fruit.apple]", 3, 2, "[fruit.apple] cannot be used: the table 'fruit.apple' is already defined by dotted keys on line 2; write its keys in one place" },
        { "a header for a deeper table made by dotted keys", "[fruit]\napple.taste.sweet = true\n[fruit.apple.taste]", 3, 2, "the table 'fruit.apple.taste' is already defined by dotted keys on line 2" },
        { "a header for a key with a value", "[fruit]\ntype = \"apple\"\n[fruit.type]\napple = \"yes\"", 3, 2, "[fruit.type] cannot be used: 'fruit.type' is already set to a string on line 2; a key holds either a table or a value" },
        { "a header for a table that dotted keys went through", "[a.b.c]\n[a]\nb.d = 1\n[a.b]", 4, 2, "[a.b] cannot be used: the table 'a.b' is already defined by dotted keys on line 3" },
        { "a header through a value in an element of an array of tables", "[[a.b]]\nc = 1\n[a.b.c.d]", 3, 2, "[a.b.c.d] cannot be used: 'a.b.c' is already set to an integer on line 2, not a table" },
        { "a header through a value", "a = 1\n[a.b]", 2, 2, "[a.b] cannot be used: 'a' is already set to an integer on line 1, not a table" },
        { "dotted keys adding to a table with a header", "[a.b.c]\nz = 9\n[a]\nb.c.t = 1", 4, 1, "'a.b.c.t' cannot be set here: the table 'a.b.c' has its own header [a.b.c] (line 1), and dotted keys written elsewhere may not add to it; set t under [a.b.c] instead" },
        { "a dotted key adding to an inline table", "a = { b = 1 }\na.c = 2", 2, 1, "'a.c' cannot be set: 'a' is an inline table (line 1), complete as written; add c inside its { … } instead" },
        { "a header for an inline table", "a = {}\n[a]", 2, 2, "[a] cannot be used: 'a' is already set to an inline table on line 1, which is complete as written" },
        { "a header below an inline table", "a = {}\n[a.b]", 2, 2, "[a.b] cannot add to 'a': it is an inline table (line 1), complete as written" },
        { "an array of tables below an inline table", "inline-t = { nest = {} }\n[[inline-t.nest]]", 2, 3, "[[inline-t.nest]] cannot add to 'inline-t': it is an inline table (line 1)" },
        { "a key set twice in an inline table", "tbl = { a = 1, a = 2 }", 1, 16, "'tbl.a' is already set on line 1" },
        { "an inline table extended inside its parent", "tab = { inner = { dog = \"best\" }, inner.cat = \"worst\" }", 1, 35, "'tab.inner.cat' cannot be set: 'tab.inner' is an inline table (line 1)" },
        { "a dotted key through a value in an inline table", "a = {b = 1, b.c = 2}", 1, 13, "'a.b.c' cannot be set: 'a.b' is already set to an integer on line 1, not a table" },
        { "an array of tables for a table", "[tbl]\n[[tbl]]", 2, 3, "[[tbl]] cannot be used: 'tbl' is already a table (line 1); an array of tables is written with [[tbl]] headers only" },
        { "an array of tables for an implicit table", "[[albums.songs]]\nname = \"Glory Days\"\n[[albums]]\nname = \"Born in the USA\"", 3, 3, "[[albums]] cannot be used: 'albums' is already a table (line 1)" },
        { "a table for an array of tables", "[[tbl]]\n[tbl]", 2, 2, "[tbl] cannot be used: 'tbl' is an array of tables ([[tbl]] on line 1); write [[tbl]] to add an element to it" },
        { "an array of tables for an inline array", "fruit = []\n[[fruit]]", 2, 3, "[[fruit]] cannot add to 'fruit': it is an array written inline on line 1; write all of its elements either inline or as [[fruit]] sections" },
        { "a header below an inline array", "fruit = [{ name = \"apple\" }]\n[fruit.variety]", 2, 2, "[fruit.variety] cannot add to 'fruit': it is an array written inline (line 1)" },
        { "an array of tables for a value", "[a]\nb = 1\n[[a.b]]", 3, 3, "[[a.b]] cannot be used: 'a.b' is already set to an integer on line 2" },
        { "a dotted key into an array of tables", "[[tab.arr]]\n[tab]\narr.val1 = 1", 3, 1, "'tab.arr.val1' cannot be set: 'tab.arr' is an array of tables (line 1), and a dotted key cannot add to an array" },
        { "a value for an array of tables", "[[a.b]]\n[a]\nb = 1", 3, 1, "'a.b' is already defined as an array of tables ([[…]] on line 1), so it cannot also be set here" },
        { "a key set twice in an element of an array of tables", "[[services.api.volumes]]\ntype = \"bind\"\ntype = \"volume\"", 3, 1, "'services.api.volumes[0].type' is already set on line 2" },
        { "a key set twice in a stack", "[stack]\nname = \"shop\"\n\n[services.api]\nimage = \"nginx\"\nport = 80\n\n[services.api]\nport = 81", 8, 2, "[services.api] is defined twice, first on line 4" },
    };

    /// <summary>Valid TOML that a stricter or a careless check would refuse (Tomlyn's check refused the last three).</summary>
    public static TheoryData<string, string> AllowedDefinitions => new()
    {
        { "sub-tables of a table made by dotted keys", "[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true" },
        { "a super-table after its sub-table", "[a.b.c]\nx = 1\n[a]\ny = 2" },
        { "dotted keys through a table no header defined", "[a.b.c]\n[a]\nb.d = 1" },
        { "dotted keys in one inline table", "a = { b.c = 1, b.d = 2 }" },
        { "a quoted key with a dot", "\"a.b\" = 1\na.b = 2" },
        { "an empty quoted key", "\"\" = 1" },
        { "a super-table of an array of tables", "[[a.b]]\n[a]\nc = 1" },
        { "arrays of tables with sub-tables", "[[fruits]]\nname = \"apple\"\n[fruits.physical]\ncolor = \"red\"\n[[fruits.varieties]]\nname = \"red delicious\"\n[[fruits]]\nname = \"banana\"\n[[fruits.varieties]]\nname = \"plantain\"" },
        { "the same sub-table in two elements", "[[a]]\n[a.b]\nc = 1\n[[a]]\n[a.b]\nc = 2" },
        { "a header table, then a dotted table, in two elements", "[[a]]\n[a.b]\nb = []\n[[a]]\nb.a = [1]" },
        { "an array of tables in two elements", "[[b.a]]\nx = 1\n[[b.a.c]]\ny = 1\n[[b.a]]\nc.b = 1" },
        { "a deeper header table, then a dotted table, in two elements", "[[a]]\n[a.a.c]\n[[a]]\na.c = 1" },
    };

    [Theory]
    [MemberData(nameof(Redefinitions))]
    public void RedefinitionIsReportedAtTheSecondDefinition(string name, string toml, int line, int column, string message)
    {
        _ = name;
        var outcome = GeneratorHarness.Run(toml);

        DiagnosticTests.AssertReported(outcome, toml, "BERTH0001", line, column, "TOML syntax error: ", message);
        Assert.Single(outcome.Diagnostics);
        Assert.Empty(outcome.Sources);
    }

    [Theory]
    [MemberData(nameof(AllowedDefinitions))]
    public void AllowedDefinitionReads(string name, string toml)
    {
        _ = name;
        var errors = new List<(SourceLocation Location, string Message)>();

        var root = TomlTreeReader.Read(toml, errors);

        Assert.Empty(errors);
        Assert.NotNull(root);
    }

    [Fact]
    public void ElementsOfAnArrayOfTablesEachGetTheirSubTables()
    {
        var root = TomlTreeReader.Read("[[a]]\n[a.b]\nc = 1\n[[a]]\n[a.b]\nc = 2", []);

        var array = Assert.IsType<TomlArrayNode>(root!.Find("a")!.Value);
        Assert.Equal([1L, 2L], array.Items.Select(item => ((TomlScalarNode)((TomlTableNode)((TomlTableNode)item).Find("b")!.Value).Find("c")!.Value).Value));
    }

    [Fact]
    public void KeysWithTheSameHashAreTwoKeys()
    {
        // Tomlyn's check took two keys of a table whose string hashes are equal for one key set twice. Hashes differ
        // from process to process, so a large table failed now and then: one run in twenty or so for 20,000 keys
        // (RobustnessTests' "many env vars"). Find such a pair in this process, so the case is tested every run.
        var (first, second) = KeysWithEqualHashes();
        var toml = $"[stack]\nname = \"shop\"\n\n[services.api]\nimage = \"nginx\"\n\n[services.api.env]\n{first} = \"1\"\n{second} = \"2\"\n";

        var result = StackParser.Parse(GeneratorHarness.DefaultPath, toml, null);

        Assert.Empty(result.Diagnostics);
        var api = result.Model!.Environments[0].Services.Single(s => s.Name == "api");
        Assert.Equal("1", api.Env.Single(e => e.Key == first).Value);
        Assert.Equal("2", api.Env.Single(e => e.Key == second).Value);
    }

    /// <summary>Two bare keys with equal <see cref="string.GetHashCode()"/> in this process (a birthday search).</summary>
    private static (string First, string Second) KeysWithEqualHashes()
    {
        // 2^32 hash values: a repeat is near certain within a few hundred thousand keys.
        var seen = new Dictionary<int, string>();
        for (var i = 0; ; i++)
        {
            var key = "K" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (seen.TryGetValue(key.GetHashCode(StringComparison.Ordinal), out var earlier))
            {
                return (earlier, key);
            }

            seen.Add(key.GetHashCode(StringComparison.Ordinal), key);
        }
    }
}
