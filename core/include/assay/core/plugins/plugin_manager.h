#pragma once
// The plugin host: loads plugins from their manifest and library, checks them before any of
// their code runs, keeps each library loaded while anything from it is alive, swaps versions
// under running calls, and funnels every call through one wrapper that catches everything.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "assay/core/config.h"
#include "assay/core/events/outbox.h"
#include "assay/core/metrics.h"
#include "assay/core/store/db.h"
#include "assay/plugin/sdk.h"

namespace boost::dll {
class shared_library;
}

namespace assay {

// Why a plugin did not load. Codes: not_found, manifest_invalid, checksum_mismatch,
// not_a_library, corrupt_library, missing_entry_point, abi_mismatch, name_mismatch,
// config_invalid, create_failed, start_failed.
class PluginLoadError : public std::runtime_error {
  public:
    PluginLoadError(std::string code, const std::string& message)
        : std::runtime_error(message), code_(std::move(code)) {}
    const std::string& code() const { return code_; }

  private:
    std::string code_;
};

class HostServicesImpl;

// One loaded version of one plugin. Held by shared_ptr: the registry holds one reference and
// every call in flight another, so an upgrade never unloads code that is running.
class LoadedPlugin {
  public:
    ~LoadedPlugin();
    const std::string& name() const { return name_; }
    const std::string& version() const { return version_; }
    uint32_t kinds() const { return kinds_; }
    const std::string& path() const { return path_; }
    const std::string& sha256() const { return sha256_; }
    plugin::Plugin& instance() { return *instance_; }
    std::vector<std::string> subscriptions() const;

  private:
    friend class PluginManager;
    LoadedPlugin() = default;
    // Declared first so it is destroyed last: the library outlives everything made from it.
    std::shared_ptr<boost::dll::shared_library> library_;
    const plugin::Descriptor* descriptor_ = nullptr;
    std::unique_ptr<HostServicesImpl> services_;
    plugin::Plugin* instance_ = nullptr;
    std::string name_, version_, path_, sha256_;
    uint32_t kinds_ = 0;
};

using SandboxRunner = std::function<plugin::SandboxResult(const plugin::SandboxJob&)>;

class PluginManager {
  public:
    struct Info {
        std::string name, version, path, state, lastError;  // state: enabled, disabled, failed
        uint32_t kinds = 0;
        int failures = 0;
    };

    PluginManager(const Config& config, db::Database& db, Metrics& metrics, Outbox& outbox);
    ~PluginManager();

    void setSandbox(SandboxRunner runner) { sandbox_ = std::move(runner); }

    // Loads every manifest (*.json) in the plugin directory. Failures are logged and kept in
    // list() as state "failed"; they never stop the host.
    void scan();
    // Loads (or upgrades) the plugin whose manifest or library is at `path`, or the plugin of
    // that name in the plugin directory. Throws PluginLoadError.
    Info load(const std::string& pathOrName);
    void enable(const std::string& name);   // throws ApiError 404
    void disable(const std::string& name);  // throws ApiError 404
    void unloadAll();

    std::vector<Info> list();
    std::optional<Info> info(const std::string& name);
    std::shared_ptr<LoadedPlugin> get(const std::string& name);  // enabled plugins only
    std::vector<std::shared_ptr<LoadedPlugin>> withKind(plugin::Kind kind);

    // Calls into a plugin. Anything it throws fails this call only: counted, logged with the
    // plugin's name, and after plugins.max_failures failures in a row the plugin is disabled.
    template <typename F>
    bool call(const std::shared_ptr<LoadedPlugin>& p, const std::string& operation, F&& fn,
              std::string* error = nullptr) {
        try {
            fn(p->instance());
            succeeded(*p);
            return true;
        } catch (const std::exception& e) {
            failed(*p, operation, e.what(), error);
        } catch (...) {
            failed(*p, operation, "unknown exception", error);
        }
        return false;
    }

    json::Object health();

  private:
    struct Entry {
        std::shared_ptr<LoadedPlugin> current;
        bool enabled = true;
        std::atomic<int> consecutiveFailures{0};
        int totalFailures = 0;
        std::string lastError;
        std::string path;
        std::string state;  // enabled, disabled, failed
    };

    std::shared_ptr<LoadedPlugin> open(const std::string& manifestPath);
    void activate(const std::shared_ptr<LoadedPlugin>& p);
    void succeeded(LoadedPlugin& p);
    void failed(LoadedPlugin& p, const std::string& operation, const std::string& what,
                std::string* error);
    void persistDisabled(const std::string& name, bool disabled);
    bool wasDisabled(const std::string& name);
    std::string resolve(const std::string& pathOrName) const;
    Info infoOf(const std::string& name, const Entry& e) const;

    const Config& config_;
    db::Database& db_;
    Metrics& metrics_;
    Outbox& outbox_;
    SandboxRunner sandbox_;
    prometheus::Family<prometheus::Counter>* failures_;
    prometheus::Family<prometheus::Counter>* calls_;
    prometheus::Family<prometheus::Counter>* pluginCounters_;  // what plugins report
    prometheus::Family<prometheus::Gauge>* pluginGauges_;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Entry>> plugins_;
    friend class HostServicesImpl;
};

}  // namespace assay
