#pragma once
// The one way a plugin reaches the host.
#include <optional>
#include <string>

#include "assay/plugin/types.h"

namespace assay::plugin {

enum class LogLevel { Debug, Info, Warning, Error };

class HostServices {
  public:
    virtual ~HostServices() = default;

    virtual void log(LogLevel level, const std::string& message) = 0;

    // This plugin's configuration section ([plugin.NAME] in the host's file), validated against
    // the schema the plugin declared; keys it did not set hold their defaults.
    virtual std::string config(const std::string& key) const = 0;

    // Metrics, exported as assay_plugin_counter / assay_plugin_gauge with this plugin's name.
    virtual void count(const std::string& metric, double by = 1, const Labels& labels = {}) = 0;
    virtual void gauge(const std::string& metric, double value, const Labels& labels = {}) = 0;

    // Key-value storage that only this plugin sees; it survives restarts and upgrades.
    virtual std::optional<std::string> get(const std::string& key) = 0;
    virtual void put(const std::string& key, const std::string& value) = 0;
    virtual void erase(const std::string& key) = 0;

    // Asks for events of this type (exact, or a prefix ending in '.': "submission.").
    // Notifier and AnalyticsSink plugins receive them through a persistent outbox.
    virtual void subscribe(const std::string& eventType) = 0;

    // Runs a job in the sandbox (graders). Never runs anything in the host process.
    virtual SandboxResult runInSandbox(const SandboxJob& job) = 0;
};

}  // namespace assay::plugin
