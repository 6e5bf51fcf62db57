#include "host_services_impl.h"

#include "assay/core/log.h"
#include "assay/core/model.h"

namespace assay {

HostServicesImpl::HostServicesImpl(PluginManager& manager, std::string plugin,
                                   std::map<std::string, std::string> config)
    : manager_(manager), plugin_(std::move(plugin)), config_(std::move(config)) {}

void HostServicesImpl::log(plugin::LogLevel level, const std::string& message) {
    auto& lg = log::get("plugin." + plugin_);
    switch (level) {
        case plugin::LogLevel::Debug:
            lg.debug(message);
            break;
        case plugin::LogLevel::Info:
            lg.information(message);
            break;
        case plugin::LogLevel::Warning:
            lg.warning(message);
            break;
        case plugin::LogLevel::Error:
            lg.error(message);
            break;
    }
}

std::string HostServicesImpl::config(const std::string& key) const {
    auto it = config_.find(key);
    return it == config_.end() ? "" : it->second;
}

prometheus::Labels HostServicesImpl::labelsFor(const std::string& metric,
                                               const plugin::Labels& extra) const {
    prometheus::Labels l(extra.begin(), extra.end());
    l["plugin"] = plugin_;
    l["metric"] = metric;
    return l;
}

void HostServicesImpl::count(const std::string& metric, double by, const plugin::Labels& labels) {
    if (by >= 0) manager_.pluginCounters_->Add(labelsFor(metric, labels)).Increment(by);
}

void HostServicesImpl::gauge(const std::string& metric, double value,
                             const plugin::Labels& labels) {
    manager_.pluginGauges_->Add(labelsFor(metric, labels)).Set(value);
}

std::optional<std::string> HostServicesImpl::get(const std::string& key) {
    auto rows = manager_.db_.acquire()->query("SELECT v FROM plugin_kv WHERE plugin = ? AND k = ?",
                                              {plugin_, key});
    if (rows.empty()) return std::nullopt;
    return rows[0].text(0);
}

void HostServicesImpl::put(const std::string& key, const std::string& value) {
    manager_.db_.transaction([&](db::Connection& c) {
        if (c.query("SELECT 1 FROM plugin_kv WHERE plugin = ? AND k = ?", {plugin_, key}).empty())
            c.execute("INSERT INTO plugin_kv (plugin, k, v, updated_at) VALUES (?, ?, ?, ?)",
                      {plugin_, key, db::Blob{value}, nowMs()});
        else
            c.execute("UPDATE plugin_kv SET v = ?, updated_at = ? WHERE plugin = ? AND k = ?",
                      {db::Blob{value}, nowMs(), plugin_, key});
    });
}

void HostServicesImpl::erase(const std::string& key) {
    manager_.db_.acquire()->execute("DELETE FROM plugin_kv WHERE plugin = ? AND k = ?",
                                    {plugin_, key});
}

void HostServicesImpl::subscribe(const std::string& eventType) {
    std::lock_guard lock(mutex_);
    subscriptions_.push_back(eventType);
}

std::vector<std::string> HostServicesImpl::subscriptions() const {
    std::lock_guard lock(mutex_);
    return subscriptions_;
}

bool HostServicesImpl::wants(const std::string& type) const {
    std::lock_guard lock(mutex_);
    for (const auto& s : subscriptions_) {
        if (s == type || s == "*") return true;
        if (!s.empty() && s.back() == '.' && type.rfind(s, 0) == 0) return true;
    }
    return false;
}

plugin::SandboxResult HostServicesImpl::runInSandbox(const plugin::SandboxJob& job) {
    if (!manager_.sandbox_) {
        plugin::SandboxResult r;
        r.verdict = "sandbox_error";
        r.error = "no sandbox runner is connected to this host";
        return r;
    }
    return manager_.sandbox_(job);
}

}  // namespace assay
