#include "assay/core/plugins/plugin_manager.h"

#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>

#include <elf.h>

#include <boost/dll/shared_library.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "assay/core/error.h"
#include "assay/core/log.h"
#include "host_services_impl.h"

namespace assay {
namespace fs = std::filesystem;

namespace {

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string sha256Hex(const std::string& bytes) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(bytes.data(), static_cast<unsigned>(bytes.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

struct Manifest {
    std::string name, version, library, sha256;
    int abi = 0;
};

Manifest readManifest(const std::string& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw PluginLoadError("not_found", "no plugin manifest at '" + path + "'");
    Manifest m;
    try {
        auto o = json::parseObject(readAll(path));
        json::rejectUnknown(o, {"name", "version", "abi", "sha256", "library", "description"});
        m.name = json::requireString(o, "name");
        m.version = json::requireString(o, "version");
        m.abi = static_cast<int>(json::requireInt(o, "abi"));
        m.sha256 = json::requireString(o, "sha256");
        m.library = json::optString(o, "library").value_or(fs::path(path).stem().string() + ".so");
    } catch (const ApiError& e) {
        throw PluginLoadError("manifest_invalid", "plugin manifest '" + path + "': " + e.what());
    }
    static const std::regex nameRe("[a-z0-9_]+(\\.[a-z0-9_-]+)*");
    if (!std::regex_match(m.name, nameRe) || m.name.size() > 100)
        throw PluginLoadError("manifest_invalid",
                              "plugin manifest '" + path + "': name '" + m.name +
                                  "' must be dotted lower-case words, e.g. edu.example.checker");
    if (!std::regex_match(m.sha256, std::regex("[0-9a-f]{64}")))
        throw PluginLoadError("manifest_invalid",
                              "plugin manifest '" + path + "': sha256 must be 64 hex digits");
    if (m.library.find('/') != std::string::npos)
        throw PluginLoadError("manifest_invalid", "plugin manifest '" + path +
                                                      "': library must be a file name beside it");
    return m;
}

// Values for the plugin's config keys: its section of the host config checked against the
// schema the plugin declares, with defaults for keys not set.
std::map<std::string, std::string> pluginConfig(const Config& config, const plugin::Descriptor& d) {
    std::map<std::string, std::string> values, defaults;
    if (d.configSchema && *d.configSchema) {
        Poco::JSON::Parser parser;
        auto arr = parser.parse(d.configSchema).extract<Poco::JSON::Array::Ptr>();
        for (size_t i = 0; i < arr->size(); ++i) {
            auto k = arr->getObject(static_cast<unsigned>(i));
            defaults[k->getValue<std::string>("name")] =
                k->has("default") ? k->get("default").toString() : "";
        }
    }
    values = defaults;
    for (const auto& [k, v] : config.pluginSection(d.name)) {
        if (!defaults.count(k))
            throw PluginLoadError("config_invalid", std::string("plugin '") + d.name +
                                                        "' has no setting '" + k +
                                                        "' (in [plugin." + d.name + "])");
        values[k] = v;
    }
    return values;
}

// dlopen() maps a library's segments as its headers describe them; a truncated file then
// faults (SIGBUS) when touched. Check that the ELF headers fit the file before loading it.
std::string elfProblem(const std::string& b) {
    if (b.size() < sizeof(Elf64_Ehdr)) return "the file is shorter than an ELF header";
    Elf64_Ehdr eh;
    std::memcpy(&eh, b.data(), sizeof eh);
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
        return "not a 64-bit little-endian ELF file";
    if (eh.e_type != ET_DYN) return "not a shared object";
#if defined(__x86_64__)
    if (eh.e_machine != EM_X86_64) return "built for another processor";
#elif defined(__aarch64__)
    if (eh.e_machine != EM_AARCH64) return "built for another processor";
#endif
    const uint64_t size = b.size();
    if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff > size ||
        uint64_t{eh.e_phnum} * sizeof(Elf64_Phdr) > size - eh.e_phoff)
        return "its program headers lie outside the file";
    for (int i = 0; i < eh.e_phnum; ++i) {
        Elf64_Phdr ph;
        std::memcpy(&ph, b.data() + eh.e_phoff + i * sizeof(Elf64_Phdr), sizeof ph);
        if ((ph.p_type == PT_LOAD || ph.p_type == PT_DYNAMIC) &&
            (ph.p_offset > size || ph.p_filesz > size - ph.p_offset))
            return "it is truncated (a segment ends past the end of the file)";
    }
    if (eh.e_shoff &&
        (eh.e_shoff > size || uint64_t{eh.e_shnum} * eh.e_shentsize > size - eh.e_shoff))
        return "it is truncated (its section headers lie past the end of the file)";
    return "";
}

}  // namespace

LoadedPlugin::~LoadedPlugin() {
    auto& lg = log::get("plugins");
    if (instance_) {
        try {
            instance_->stop();
        } catch (...) {
            lg.warning("plugin " + name_ + " " + version_ + " threw from stop()");
        }
        try {
            descriptor_->destroy(instance_);
        } catch (...) {
            lg.warning("plugin " + name_ + " " + version_ + " threw from destroy()");
        }
    }
    services_.reset();
    lg.information("released plugin " + name_ + " " + version_);
}

std::vector<std::string> LoadedPlugin::subscriptions() const {
    return services_ ? services_->subscriptions() : std::vector<std::string>{};
}

PluginManager::PluginManager(const Config& config, db::Database& db, Metrics& metrics,
                             Outbox& outbox)
    : config_(config), db_(db), metrics_(metrics), outbox_(outbox) {
    failures_ = &prometheus::BuildCounter()
                     .Name("assay_plugin_failures_total")
                     .Help("Calls into plugins that threw, by plugin")
                     .Register(metrics.registry());
    calls_ = &prometheus::BuildCounter()
                  .Name("assay_plugin_calls_total")
                  .Help("Calls into plugins by plugin and result")
                  .Register(metrics.registry());
    pluginCounters_ = &prometheus::BuildCounter()
                           .Name("assay_plugin_counter")
                           .Help("Counters reported by plugins")
                           .Register(metrics.registry());
    pluginGauges_ = &prometheus::BuildGauge()
                         .Name("assay_plugin_gauge")
                         .Help("Gauges reported by plugins")
                         .Register(metrics.registry());
}

PluginManager::~PluginManager() {
    unloadAll();
}

std::string PluginManager::resolve(const std::string& pathOrName) const {
    fs::path p(pathOrName);
    std::error_code ec;
    if (p.extension() == ".json") return p.string();
    if (p.extension() == ".so") return (p.parent_path() / (p.stem().string() + ".json")).string();
    if (fs::exists(p, ec) && fs::is_directory(p, ec)) {
        for (const auto& e : fs::directory_iterator(p, ec))
            if (e.path().extension() == ".json") return e.path().string();
    }
    // A plugin name: its manifest in the plugin directory.
    for (const auto& e : fs::directory_iterator(config_.pluginDir(), ec)) {
        if (e.path().extension() != ".json") continue;
        try {
            if (readManifest(e.path().string()).name == pathOrName) return e.path().string();
        } catch (const PluginLoadError&) {
        }
    }
    throw PluginLoadError("not_found", "no plugin '" + pathOrName + "' in " + config_.pluginDir());
}

std::shared_ptr<LoadedPlugin> PluginManager::open(const std::string& manifestPath) {
    const Manifest m = readManifest(manifestPath);
    if (m.abi != static_cast<int>(ASSAY_PLUGIN_ABI_VERSION))
        throw PluginLoadError("abi_mismatch", "plugin '" + m.name + "' is built for plugin ABI " +
                                                  std::to_string(m.abi) +
                                                  "; this host speaks ABI " +
                                                  std::to_string(ASSAY_PLUGIN_ABI_VERSION));
    const std::string libPath = (fs::path(manifestPath).parent_path() / m.library).string();
    std::error_code ec;
    if (!fs::is_regular_file(libPath, ec))
        throw PluginLoadError("not_found",
                              "plugin '" + m.name + "': library '" + libPath + "' is missing");
    const std::string bytes = readAll(libPath);
    const std::string actual = sha256Hex(bytes);
    if (actual != m.sha256)
        throw PluginLoadError("checksum_mismatch", "plugin '" + m.name + "': " + libPath +
                                                       " has sha256 " + actual +
                                                       " but its manifest says " + m.sha256);
    if (bytes.size() < 4 || bytes.compare(0, 4,
                                          "\x7f"
                                          "ELF") != 0)
        throw PluginLoadError("not_a_library",
                              "plugin '" + m.name + "': " + libPath + " is not a shared library");

    if (auto problem = elfProblem(bytes); !problem.empty())
        throw PluginLoadError("corrupt_library",
                              "plugin '" + m.name + "': cannot load " + libPath + ": " + problem);

    // Load a private copy named by its checksum, so a new version never reuses the old one's
    // handle and replacing the file on disk cannot change code that is running.
    const fs::path cacheDir = fs::path(config_.dataDir()) / "plugin-cache";
    fs::create_directories(cacheDir, ec);
    const fs::path cached = cacheDir / (actual + ".so");
    if (!fs::exists(cached, ec)) {
        const fs::path tmp = cacheDir / (actual + ".tmp");
        {
            std::ofstream out(tmp, std::ios::binary);
            out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        }
        fs::rename(tmp, cached, ec);
    }

    std::shared_ptr<LoadedPlugin> p(new LoadedPlugin);
    p->path_ = libPath;
    p->sha256_ = actual;
    try {
        p->library_ = std::make_shared<boost::dll::shared_library>(
            cached.string(), boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
        throw PluginLoadError("corrupt_library",
                              "plugin '" + m.name + "': cannot load " + libPath + ": " + e.what());
    }
    if (!p->library_->has(ASSAY_PLUGIN_ENTRY))
        throw PluginLoadError("missing_entry_point", "plugin '" + m.name + "': " + libPath +
                                                         " does not export " + ASSAY_PLUGIN_ENTRY +
                                                         " (build it with ASSAY_PLUGIN_EXPORT)");
    auto entry = p->library_->get_alias<plugin::EntryPoint>(ASSAY_PLUGIN_ENTRY);
    const plugin::Descriptor* d = nullptr;
    try {
        d = entry();
    } catch (...) {
    }
    // The ABI version is the first thing read from the descriptor.
    if (!d)
        throw PluginLoadError("corrupt_library",
                              "plugin '" + m.name + "': its entry point returned nothing");
    if (d->abiVersion != ASSAY_PLUGIN_ABI_VERSION)
        throw PluginLoadError("abi_mismatch", "plugin '" + m.name + "' reports plugin ABI " +
                                                  std::to_string(d->abiVersion) +
                                                  "; this host speaks ABI " +
                                                  std::to_string(ASSAY_PLUGIN_ABI_VERSION));
    if (d->descriptorSize < sizeof(plugin::Descriptor) || !d->name || !d->version || !d->create ||
        !d->destroy)
        throw PluginLoadError("abi_mismatch",
                              "plugin '" + m.name + "' has an incomplete descriptor");
    if (m.name != d->name)
        throw PluginLoadError("name_mismatch", "the manifest names '" + m.name +
                                                   "' but the library is '" + d->name + "'");
    p->descriptor_ = d;
    p->name_ = d->name;
    p->version_ = d->version;
    p->kinds_ = d->kinds;
    auto settings = pluginConfig(config_, *d);
    try {
        p->instance_ = d->create();
    } catch (const std::exception& e) {
        throw PluginLoadError(
            "create_failed",
            "plugin '" + m.name + "' failed to start: create() threw: " + e.what());
    } catch (...) {
        throw PluginLoadError("create_failed",
                              "plugin '" + m.name + "' failed to start: create() threw");
    }
    if (!p->instance_)
        throw PluginLoadError("create_failed",
                              "plugin '" + m.name + "': create() returned nothing");
    p->services_ = std::make_unique<HostServicesImpl>(*this, p->name_, std::move(settings));
    try {
        p->instance_->start(*p->services_);
    } catch (const std::exception& e) {
        throw PluginLoadError("start_failed",
                              "plugin '" + m.name + "': start() threw: " + e.what());
    } catch (...) {
        throw PluginLoadError("start_failed", "plugin '" + m.name + "': start() threw");
    }
    return p;
}

void PluginManager::activate(const std::shared_ptr<LoadedPlugin>& p) {
    std::shared_ptr<LoadedPlugin> previous;
    const std::string name = p->name();
    {
        std::lock_guard lock(mutex_);
        auto& e = plugins_[name];
        if (!e) {
            e = std::make_unique<Entry>();
            e->enabled = !wasDisabled(name);
        }
        previous = std::move(e->current);
        e->current = p;
        e->path = p->path();
        e->consecutiveFailures = 0;
        e->lastError.clear();
        e->state = e->enabled ? "enabled" : "disabled";
    }
    // Events reach notifiers and analytics sinks through the persistent outbox. The filter and
    // the handler look the plugin up by name, so they always reach the current version.
    if (p->kinds() & (plugin::kNotifier | plugin::kAnalyticsSink)) {
        outbox_.registerSink(
            "plugin:" + name,
            [this, name](const std::string& type) {
                std::lock_guard lock(mutex_);
                auto it = plugins_.find(name);
                return it != plugins_.end() && it->second->current &&
                       it->second->current->services_->wants(type);
            },
            [this, name](const plugin::Event& ev) {
                auto current = get(name);
                if (!current) throw std::runtime_error("plugin " + name + " is disabled");
                std::string error;
                bool ok = call(
                    current, "deliver",
                    [&](plugin::Plugin& pl) {
                        if (auto* n = pl.notifier()) n->notify(ev);
                        if (auto* s = pl.analyticsSink()) s->record(ev);
                    },
                    &error);
                if (!ok) throw std::runtime_error(error);
            });
    } else {
        outbox_.unregisterSink("plugin:" + name);
    }
    log::get("plugins").information("loaded plugin " + name + " " + p->version() + " from " +
                                    p->path() +
                                    (previous ? " (replacing " + previous->version() + ")" : ""));
    // `previous` is released here, or later by the last call still using it.
}

PluginManager::Info PluginManager::load(const std::string& pathOrName) {
    std::string manifest;
    try {
        manifest = resolve(pathOrName);
        auto p = open(manifest);
        activate(p);
        return *info(p->name());
    } catch (const PluginLoadError& e) {
        log::get("plugins").error("plugin not loaded [" + e.code() + "]: " + e.what());
        // Remember the failure for list() and /healthz under the manifest's name if we know it.
        std::string name = fs::path(manifest.empty() ? pathOrName : manifest).stem().string();
        try {
            if (!manifest.empty()) name = readManifest(manifest).name;
        } catch (...) {
        }
        std::lock_guard lock(mutex_);
        auto& entry = plugins_[name];
        if (!entry) {
            entry = std::make_unique<Entry>();
            entry->state = "failed";
        }
        entry->lastError = e.code() + ": " + e.what();
        entry->path = manifest;
        if (!entry->current) entry->state = "failed";
        throw;
    }
}

void PluginManager::scan() {
    std::error_code ec;
    const std::string dir = config_.pluginDir();
    if (!fs::is_directory(dir, ec)) {
        log::get("plugins").information("no plugin directory at " + dir);
        return;
    }
    std::vector<std::string> manifests;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().extension() == ".json") manifests.push_back(e.path().string());
    std::sort(manifests.begin(), manifests.end());
    for (const auto& m : manifests) {
        try {
            load(m);
        } catch (const PluginLoadError&) {
            // Logged by load(); the host keeps going.
        }
    }
}

void PluginManager::enable(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto it = plugins_.find(name);
    if (it == plugins_.end() || !it->second->current) throw ApiError::notFound("plugin");
    it->second->enabled = true;
    it->second->consecutiveFailures = 0;
    it->second->state = "enabled";
    persistDisabled(name, false);
    log::get("plugins").information("plugin " + name + " enabled");
}

void PluginManager::disable(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto it = plugins_.find(name);
    if (it == plugins_.end()) throw ApiError::notFound("plugin");
    it->second->enabled = false;
    it->second->state = "disabled";
    persistDisabled(name, true);
    log::get("plugins").information("plugin " + name + " disabled");
}

void PluginManager::unloadAll() {
    std::map<std::string, std::unique_ptr<Entry>> all;
    {
        std::lock_guard lock(mutex_);
        all.swap(plugins_);
    }
    for (auto& [name, e] : all)
        outbox_.unregisterSink("plugin:" + name);
}

PluginManager::Info PluginManager::infoOf(const std::string& name, const Entry& e) const {
    Info i;
    i.name = name;
    i.state = e.state;
    i.lastError = e.lastError;
    i.failures = e.totalFailures;
    i.path = e.path;
    if (e.current) {
        i.version = e.current->version();
        i.kinds = e.current->kinds();
    }
    return i;
}

std::vector<PluginManager::Info> PluginManager::list() {
    std::lock_guard lock(mutex_);
    std::vector<Info> out;
    for (const auto& [name, e] : plugins_)
        out.push_back(infoOf(name, *e));
    return out;
}

std::optional<PluginManager::Info> PluginManager::info(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto it = plugins_.find(name);
    if (it == plugins_.end()) return std::nullopt;
    return infoOf(name, *it->second);
}

std::shared_ptr<LoadedPlugin> PluginManager::get(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto it = plugins_.find(name);
    if (it == plugins_.end() || !it->second->enabled) return nullptr;
    return it->second->current;
}

std::vector<std::shared_ptr<LoadedPlugin>> PluginManager::withKind(plugin::Kind kind) {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<LoadedPlugin>> out;
    for (const auto& [name, e] : plugins_)
        if (e->enabled && e->current && (e->current->kinds() & kind)) out.push_back(e->current);
    return out;
}

void PluginManager::succeeded(LoadedPlugin& p) {
    calls_->Add({{"plugin", p.name()}, {"result", "ok"}}).Increment();
    std::lock_guard lock(mutex_);
    auto it = plugins_.find(p.name());
    if (it != plugins_.end()) it->second->consecutiveFailures = 0;
}

void PluginManager::failed(LoadedPlugin& p, const std::string& operation, const std::string& what,
                           std::string* error) {
    const std::string msg =
        "plugin " + p.name() + " " + p.version() + " failed in " + operation + ": " + what;
    if (error) *error = msg;
    calls_->Add({{"plugin", p.name()}, {"result", "error"}}).Increment();
    failures_->Add({{"plugin", p.name()}}).Increment();
    log::get("plugins").error(msg);
    std::lock_guard lock(mutex_);
    auto it = plugins_.find(p.name());
    if (it == plugins_.end()) return;
    auto& e = *it->second;
    ++e.totalFailures;
    e.lastError = msg;
    if (++e.consecutiveFailures >= config_.integer("plugins.max_failures") && e.enabled) {
        e.enabled = false;
        e.state = "failed";
        log::get("plugins").error(
            "plugin " + p.name() + " disabled after " +
            std::to_string(e.consecutiveFailures.load()) +
            " failures in a row; enable it again with 'assay plugins enable " + p.name() + "'");
    }
}

json::Object PluginManager::health() {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    int enabled = 0, failedCount = 0;
    for (const auto& i : list()) {
        Poco::JSON::Object::Ptr p = new Poco::JSON::Object;
        p->set("name", i.name);
        p->set("version", i.version);
        p->set("state", i.state);
        if (!i.lastError.empty()) p->set("last_error", i.lastError);
        arr->add(p);
        enabled += i.state == "enabled";
        failedCount += i.state == "failed";
    }
    o->set("ok", true);  // a bad plugin degrades a feature, not the host
    o->set("enabled", enabled);
    o->set("failed", failedCount);
    o->set("plugins", arr);
    return o;
}

void PluginManager::persistDisabled(const std::string& name, bool disabled) {
    const std::string key = "plugin.disabled." + name;
    auto c = db_.acquire();
    if (c->query("SELECT 1 FROM settings WHERE name = ?", {key}).empty())
        c->execute("INSERT INTO settings (name, value) VALUES (?, ?)",
                   {key, std::string(disabled ? "1" : "0")});
    else
        c->execute("UPDATE settings SET value = ? WHERE name = ?",
                   {std::string(disabled ? "1" : "0"), key});
}

bool PluginManager::wasDisabled(const std::string& name) {
    auto rows = db_.acquire()->query("SELECT value FROM settings WHERE name = ?",
                                     {"plugin.disabled." + name});
    return !rows.empty() && rows[0].text(0) == "1";
}

}  // namespace assay
