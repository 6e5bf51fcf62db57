#pragma once
// What a plugin sees of the host: its logger, config section, metrics, storage, event
// subscriptions and the sandbox.
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "assay/core/plugins/plugin_manager.h"

namespace assay {

class HostServicesImpl : public plugin::HostServices {
  public:
    HostServicesImpl(PluginManager& manager, std::string plugin,
                     std::map<std::string, std::string> config);

    void log(plugin::LogLevel level, const std::string& message) override;
    std::string config(const std::string& key) const override;
    void count(const std::string& metric, double by, const plugin::Labels& labels) override;
    void gauge(const std::string& metric, double value, const plugin::Labels& labels) override;
    std::optional<std::string> get(const std::string& key) override;
    void put(const std::string& key, const std::string& value) override;
    void erase(const std::string& key) override;
    void subscribe(const std::string& eventType) override;
    plugin::SandboxResult runInSandbox(const plugin::SandboxJob& job) override;

    std::vector<std::string> subscriptions() const;
    bool wants(const std::string& type) const;

  private:
    prometheus::Labels labelsFor(const std::string& metric, const plugin::Labels& extra) const;

    PluginManager& manager_;
    std::string plugin_;
    std::map<std::string, std::string> config_;
    mutable std::mutex mutex_;
    std::vector<std::string> subscriptions_;
};

}  // namespace assay
