import OspreyConfig
import OspreyCore
import OspreyTestSupport

/// Loads `text` as the main file `osprey.toml` of a temporary directory; returns that path and the result.
func load(_ text: String) throws -> (String, Result<LoadedConfiguration, ConfigurationErrors>) {
    try withTemporaryDirectory { dir in
        try write(text, to: dir + "/osprey.toml")
        return (dir + "/osprey.toml", ConfigurationLoader(mainFile: dir + "/osprey.toml").load())
    }
}
