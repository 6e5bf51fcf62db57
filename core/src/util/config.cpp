#include "assay/core/config.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

namespace assay {
namespace {

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

bool parseInt(const std::string& s, int64_t& out) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

// Splits "12ms" into 12 and "ms"; returns false if there is no leading number.
bool splitNumber(const std::string& text, int64_t& n, std::string& unit) {
    size_t i = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
        ++i;
    if (i == 0 || i > 15) return false;
    if (!parseInt(text.substr(0, i), n)) return false;
    unit = trim(text.substr(i));
    return true;
}

}  // namespace

int64_t parseDurationMs(const std::string& text) {
    int64_t n = 0;
    std::string unit;
    if (!splitNumber(trim(text), n, unit))
        throw std::invalid_argument("not a duration: '" + text + "'");
    if (unit.empty() || unit == "s") return n * 1000;
    if (unit == "ms") return n;
    if (unit == "m") return n * 60'000;
    if (unit == "h") return n * 3'600'000;
    if (unit == "d") return n * 86'400'000;
    throw std::invalid_argument("unknown duration unit '" + unit + "' (use ms, s, m, h or d)");
}

int64_t parseSize(const std::string& text) {
    int64_t n = 0;
    std::string unit;
    if (!splitNumber(trim(text), n, unit))
        throw std::invalid_argument("not a size: '" + text + "'");
    std::string u = unit;
    std::transform(u.begin(), u.end(), u.begin(), [](unsigned char c) { return std::tolower(c); });
    int64_t mult = 1;
    if (u.empty() || u == "b")
        mult = 1;
    else if (u == "k" || u == "kib")
        mult = 1024;
    else if (u == "m" || u == "mib")
        mult = 1024 * 1024;
    else if (u == "g" || u == "gib")
        mult = 1024LL * 1024 * 1024;
    else if (u == "kb")
        mult = 1000;
    else if (u == "mb")
        mult = 1000 * 1000;
    else if (u == "gb")
        mult = 1000LL * 1000 * 1000;
    else
        throw std::invalid_argument("unknown size unit '" + unit + "' (use KiB, MiB or GiB)");
    if (n > INT64_MAX / mult) throw std::invalid_argument("size too large: '" + text + "'");
    return n * mult;
}

const std::vector<ConfigKey>& Config::schema() {
    using T = ConfigType;
    static const std::vector<ConfigKey> keys = {
        {"listen", T::HostPort, "127.0.0.1:8080", "address and port the HTTP(S) server listens on"},
        {"public_url", T::Url, "", "externally visible base URL (default: derived from listen)"},
        {"data_dir", T::Path, "./var", "directory for the SQLite database, keys and uploads"},
        {"log.level",
         T::Enum,
         "info",
         "least severe level written",
         0,
         0,
         {"debug", "info", "warning", "error"}},
        {"log.file", T::Path, "", "log file (default: standard error)"},
        {"db.url", T::String, "",
         "sqlite:PATH or mysql://USER:PASSWORD@HOST:PORT/DATABASE (default: sqlite in data_dir)"},
        {"db.pool_size", T::Int, "8", "database connections kept open", 1, 256},
        {"db.busy_timeout", T::Duration, "5s", "how long SQLite waits for a lock", 0, 600},
        {"runner.socket", T::Path, "/run/assay/runner.sock", "Unix socket of assay-runner"},
        {"tls.certificate", T::Path, "", "PEM certificate chain; enables HTTPS"},
        {"tls.private_key", T::Path, "", "PEM private key for tls.certificate"},
        {"http.max_threads", T::Int, "256", "request threads", 2, 4096},
        {"http.max_queued", T::Int, "512", "accepted connections waiting for a thread", 1, 100000},
        {"http.max_body", T::Size, "16MiB", "largest request body accepted", 1024, 1LL << 32},
        {"http.keep_alive_timeout", T::Duration, "15s",
         "idle keep-alive connections are closed after this", 1, 3600},
        {"auth.session_ttl", T::Duration, "12h", "browser session lifetime", 60, 90 * 86400},
        {"auth.pbkdf2_iterations", T::Int, "600000",
         "PBKDF2-HMAC-SHA256 iterations for new password hashes", 1000, 10000000},
        {"auth.max_login_failures", T::Int, "10",
         "failed logins per account per 15 minutes before refusing", 1, 1000},
        {"shutdown.grace", T::Duration, "20s", "how long running work may finish after SIGTERM", 0,
         3600},
        {"plugins.dir", T::Path, "", "directory scanned for plugins (default: data_dir/plugins)"},
        {"plugins.max_failures", T::Int, "5",
         "consecutive failed calls after which a plugin is disabled", 1, 1000},
        {"grading.max_active", T::Int, "0",
         "jobs graded at once (0: one per core, like the runner's pool)", 0, 4096},
        {"grading.waiting_room_timeout", T::Duration, "5s",
         "a practice run that cannot start within this gets 503", 0, 600},
        {"web.root", T::Path, "",
         "directory of the built web pages (default: the build's or /usr/share/assay/web)"},
        {"web.frame_ancestors", T::String, "*",
         "origins allowed to show the pages in a frame (CSP frame-ancestors)"},
        {"user", T::String, "assay",
         "unprivileged account assayd switches to when started as root"},
        {"demo_bundles", T::Path, "",
         "directory of assignment bundles imported into a Demo course on first start"},
        {"lti.key_secret", T::String, "",
         "secret that encrypts the LTI tool's private keys (empty: stored unencrypted, mode 0600)"},
        {"lti.allow_http", T::Bool, "false",
         "allow plain-http platform URLs for JWKS, tokens and services (tests and labs only)"},
        {"xapi.forward.batch", T::Int, "50", "statements per POST to an external LRS", 1, 500},
        {"xapi.forward.retry_base", T::Duration, "1s",
         "delay before the first retry of a failed forwarding batch; doubles per failure", 0, 3600},
        {"xapi.forward.retry_max", T::Duration, "5m", "longest delay between forwarding retries", 0,
         86400},
        {"xapi.forward.timeout", T::Duration, "10s", "timeout of one request to an external LRS", 1,
         600},
    };
    return keys;
}

const std::map<std::string, std::vector<std::string>>& Config::namedSectionKeys() {
    static const std::map<std::string, std::vector<std::string>> kinds = {
        {"xapi.target", {"endpoint", "username", "password", "password_file", "verbs"}},
    };
    return kinds;
}

std::map<std::string, std::map<std::string, std::string>> Config::namedSections(
    const std::string& kind) const {
    auto it = named_.find(kind);
    return it == named_.end() ? std::map<std::string, std::map<std::string, std::string>>{}
                              : it->second;
}

Config::Config() {
    for (const auto& k : schema())
        values_[k.name] = k.defaultValue;
}

const ConfigKey& Config::keyFor(const std::string& key) const {
    for (const auto& k : schema())
        if (k.name == key) return k;
    throw ConfigError(key, "unknown configuration key '" + key + "'");
}

std::map<std::string, std::string> Config::pluginSection(const std::string& plugin) const {
    auto it = pluginValues_.find(plugin);
    return it == pluginValues_.end() ? std::map<std::string, std::string>{} : it->second;
}

void Config::set(const std::string& key, const std::string& rawValue) {
    if (key.rfind("plugin.", 0) == 0) {
        // plugin.<dotted plugin name>.<key>: the last dot separates the key.
        const auto dot = key.rfind('.');
        if (dot <= 7)
            throw ConfigError(key, "plugin settings are written [plugin.NAME] then 'key = value'");
        pluginValues_[key.substr(7, dot - 7)][key.substr(dot + 1)] = trim(rawValue);
        return;
    }
    for (const auto& [kind, allowed] : namedSectionKeys()) {
        if (key.rfind(kind + ".", 0) != 0) continue;
        // <kind>.<NAME>.<key>: the last dot separates the key.
        const auto dot = key.rfind('.');
        if (dot <= kind.size() + 1)
            throw ConfigError(key,
                              "these settings are written [" + kind + ".NAME] then 'key = value'");
        const std::string field = key.substr(dot + 1);
        if (std::find(allowed.begin(), allowed.end(), field) == allowed.end())
            throw ConfigError(key, "unknown configuration key '" + key + "'");
        named_[kind][key.substr(kind.size() + 1, dot - kind.size() - 1)][field] = trim(rawValue);
        return;
    }
    const ConfigKey& k = keyFor(key);
    const std::string value = trim(rawValue);
    auto bad = [&](const std::string& why) {
        return ConfigError(key, "bad value for '" + key + "': " + why);
    };
    try {
        switch (k.type) {
            case ConfigType::String:
            case ConfigType::Path:
                break;
            case ConfigType::Int: {
                int64_t n = 0;
                if (!parseInt(value, n)) throw bad("'" + value + "' is not an integer");
                if (n < k.min || n > k.max)
                    throw bad(value + " is outside " + std::to_string(k.min) + ".." +
                              std::to_string(k.max));
                break;
            }
            case ConfigType::Bool:
                if (value != "true" && value != "false") throw bad("use true or false");
                break;
            case ConfigType::Duration: {
                int64_t ms = parseDurationMs(value);
                if (ms < k.min * 1000 || ms > k.max * 1000)
                    throw bad("must be between " + std::to_string(k.min) + "s and " +
                              std::to_string(k.max) + "s");
                break;
            }
            case ConfigType::Size: {
                int64_t b = parseSize(value);
                if (b < k.min || b > k.max) throw bad("size out of range");
                break;
            }
            case ConfigType::HostPort: {
                auto colon = value.rfind(':');
                int64_t port = 0;
                if (colon == std::string::npos || colon == 0 ||
                    !parseInt(value.substr(colon + 1), port) || port < 0 || port > 65535)
                    throw bad("expected HOST:PORT, e.g. 127.0.0.1:8080");
                break;
            }
            case ConfigType::Enum:
                if (std::find(k.choices.begin(), k.choices.end(), value) == k.choices.end()) {
                    std::string all;
                    for (const auto& c : k.choices)
                        all += (all.empty() ? "" : ", ") + c;
                    throw bad("'" + value + "' is not one of " + all);
                }
                break;
            case ConfigType::Url:
                if (!value.empty()) {
                    Poco::URI uri(value);
                    if ((uri.getScheme() != "http" && uri.getScheme() != "https") ||
                        uri.getHost().empty())
                        throw bad("expected an http:// or https:// URL");
                }
                break;
        }
    } catch (const std::invalid_argument& e) {
        throw bad(e.what());
    } catch (const Poco::Exception& e) {
        throw bad(e.message());
    }
    values_[key] = value;
    explicit_[key] = true;
}

void Config::loadString(const std::string& text, const std::string& origin) {
    std::istringstream in(text);
    std::string line, section;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        std::string t = trim(line);
        if (t.empty() || t[0] == '#' || t[0] == ';') continue;
        if (t.front() == '[') {
            if (t.back() != ']')
                throw ConfigError("",
                                  origin + ":" + std::to_string(lineNo) + ": bad section header");
            section = trim(t.substr(1, t.size() - 2));
            continue;
        }
        auto eq = t.find('=');
        if (eq == std::string::npos)
            throw ConfigError("",
                              origin + ":" + std::to_string(lineNo) + ": expected 'key = value'");
        std::string key = trim(t.substr(0, eq));
        if (!section.empty()) key = section + "." + key;
        try {
            set(key, t.substr(eq + 1));
        } catch (const ConfigError& e) {
            throw ConfigError(e.key(), origin + ":" + std::to_string(lineNo) + ": " + e.what());
        }
    }
}

void Config::loadFile(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError("", "cannot read configuration file '" + path + "'");
    std::stringstream ss;
    ss << in.rdbuf();
    loadString(ss.str(), path);
}

std::string Config::str(const std::string& key) const {
    keyFor(key);
    return values_.at(key);
}

int64_t Config::integer(const std::string& key) const {
    return std::stoll(str(key));
}
bool Config::flag(const std::string& key) const {
    return str(key) == "true";
}
int64_t Config::durationMs(const std::string& key) const {
    return parseDurationMs(str(key));
}
int64_t Config::bytes(const std::string& key) const {
    return parseSize(str(key));
}

std::string Config::listenHost() const {
    auto v = str("listen");
    return v.substr(0, v.rfind(':'));
}

int Config::listenPort() const {
    auto v = str("listen");
    return std::stoi(v.substr(v.rfind(':') + 1));
}

std::string Config::publicUrl() const {
    std::string url = str("public_url");
    if (url.empty()) url = std::string(tlsEnabled() ? "https://" : "http://") + str("listen");
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url;
}

std::string Config::dataDir() const {
    return str("data_dir");
}

std::string Config::pluginDir() const {
    const std::string d = str("plugins.dir");
    return d.empty() ? dataDir() + "/plugins" : d;
}

std::string Config::databaseUrl() const {
    std::string url = str("db.url");
    return url.empty() ? "sqlite:" + dataDir() + "/assay.db" : url;
}

}  // namespace assay
