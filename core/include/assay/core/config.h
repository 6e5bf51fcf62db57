#pragma once
// The host's configuration: a fixed schema of keys, each with a type and a default.
// Files use `key = value` lines, `[section]` headers prefixing keys with `section.`, and
// `#` comments. Unknown keys and bad values are refused with the key's name.
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace assay {

enum class ConfigType { String, Path, Int, Bool, Duration, Size, HostPort, Enum, Url };

struct ConfigKey {
    std::string name;
    ConfigType type;
    std::string defaultValue;
    std::string help;
    int64_t min = 0;  // Int, Duration (seconds), Size (bytes)
    int64_t max = INT64_MAX;
    std::vector<std::string> choices;  // Enum
};

class ConfigError : public std::runtime_error {
  public:
    ConfigError(std::string key, const std::string& message)
        : std::runtime_error(message), key_(std::move(key)) {}
    const std::string& key() const { return key_; }

  private:
    std::string key_;
};

class Config {
  public:
    Config();  // every key at its default

    static const std::vector<ConfigKey>& schema();

    void loadFile(const std::string& path);
    void loadString(const std::string& text, const std::string& origin = "config");
    // Validates and sets one key; throws ConfigError naming the key.
    void set(const std::string& key, const std::string& value);
    bool isSet(const std::string& key) const { return explicit_.count(key) > 0; }

    std::string str(const std::string& key) const;
    int64_t integer(const std::string& key) const;
    bool flag(const std::string& key) const;
    int64_t durationMs(const std::string& key) const;
    int64_t bytes(const std::string& key) const;

    // [plugin.NAME] sections: keys are checked against the plugin's own schema when it loads.
    std::map<std::string, std::string> pluginSection(const std::string& plugin) const;
    // Repeatable named sections such as [xapi.target.NAME]: NAME → key → value, keys checked
    // against the section kind's list (namedSectionKeys) when set.
    std::map<std::string, std::map<std::string, std::string>> namedSections(
        const std::string& kind) const;
    static const std::map<std::string, std::vector<std::string>>& namedSectionKeys();

    // Derived values.
    std::string listenHost() const;
    int listenPort() const;
    std::string publicUrl() const;  // public_url, or http(s)://listen
    std::string dataDir() const;
    std::string pluginDir() const;    // plugins.dir, or data_dir/plugins
    std::string databaseUrl() const;  // db.url, or sqlite:<data_dir>/assay.db
    bool tlsEnabled() const { return !str("tls.certificate").empty(); }

  private:
    const ConfigKey& keyFor(const std::string& key) const;
    std::map<std::string, std::string> values_;
    std::map<std::string, bool> explicit_;
    std::map<std::string, std::map<std::string, std::string>> pluginValues_;
    std::map<std::string, std::map<std::string, std::map<std::string, std::string>>> named_;
};

// Parsing helpers shared with the CLI.
int64_t parseDurationMs(const std::string& text);  // "250ms", "30s", "5m", "2h", "1d", or seconds
int64_t parseSize(const std::string& text);        // "512", "64KiB", "16MiB", "1GiB", "10MB"

}  // namespace assay
