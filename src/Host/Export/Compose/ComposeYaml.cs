using YamlDotNet.Serialization;

namespace Berth.Host.Export.Compose;

/// <summary>Writes the Compose model as YAML: snake_case names, no nulls or empty lists, strings quoted where YAML would misread them.</summary>
internal static class ComposeYaml
{
    // YAML 1.1's scalars quoted too: docker-compose 1.x reads the file as YAML 1.1, where `no` is false and
    // `1654:1654` a number in base 60.
    private static readonly ISerializer s_serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings(quoteYaml1_1Strings: true)
        .WithNamingConvention(YamlDotNet.Serialization.NamingConventions.UnderscoredNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull | DefaultValuesHandling.OmitEmptyCollections)
        .DisableAliases()
        .Build();

    public static string Serialize(ComposeFile file) => s_serializer.Serialize(file).ReplaceLineEndings("\n");
}
