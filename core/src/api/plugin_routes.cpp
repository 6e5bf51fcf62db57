#include "assay/core/error.h"
#include "assay/core/host.h"
#include "host/routes.h"
#include "views.h"

namespace assay::routes {
namespace {

json::Array kindNames(uint32_t kinds) {
    auto a = views::array();
    static const std::pair<uint32_t, const char*> names[] = {
        {plugin::kGrader, "grader"},
        {plugin::kAnalyzer, "analyzer"},
        {plugin::kRecommender, "recommender"},
        {plugin::kNotifier, "notifier"},
        {plugin::kAnalyticsSink, "analytics_sink"}};
    for (const auto& [bit, name] : names)
        if (kinds & bit) a->add(name);
    return a;
}

json::Object view(const PluginManager::Info& i) {
    auto o = views::object();
    o->set("name", i.name);
    o->set("version", i.version);
    o->set("state", i.state);
    o->set("kinds", kindNames(i.kinds));
    o->set("failures", i.failures);
    o->set("path", i.path);
    if (!i.lastError.empty()) o->set("last_error", i.lastError);
    return o;
}

}  // namespace

void plugins(Host& host) {
    auto& r = host.router();
    PluginManager& pm = host.plugins();
    r.get("/api/v1/plugins", http::Access::Admin, [&pm](http::Request&, http::Response& res) {
        auto arr = views::array();
        for (const auto& i : pm.list())
            arr->add(view(i));
        auto out = views::object();
        out->set("plugins", arr);
        res.json(out);
    });
    r.get("/api/v1/plugins/{name}", http::Access::Admin,
          [&pm](http::Request& req, http::Response& res) {
              auto i = pm.info(req.param("name"));
              if (!i) throw ApiError::notFound("plugin");
              res.json(view(*i));
          });
    // Loads a new plugin or a new version of one, while the server runs.
    r.post("/api/v1/plugins/load", http::Access::Admin,
           [&host, &pm](http::Request& req, http::Response& res) {
               auto body = req.json();
               json::rejectUnknown(body, {"path", "name"});
               auto target = json::optString(body, "path");
               if (!target) target = json::optString(body, "name");
               if (!target)
                   throw ApiError::badRequest("missing_field",
                                              "give 'path' (a manifest or library) or 'name'");
               try {
                   auto info = pm.load(*target);
                   host.audit(&req, req.principal->user.id, "plugin.loaded", info.name);
                   res.json(view(info));
               } catch (const PluginLoadError& e) {
                   throw ApiError(e.code() == "not_found" ? 404 : 422, "plugin_" + e.code(),
                                  e.what());
               }
           });
    r.post("/api/v1/plugins/{name}/enable", http::Access::Admin,
           [&host, &pm](http::Request& req, http::Response& res) {
               pm.enable(req.param("name"));
               host.audit(&req, req.principal->user.id, "plugin.enabled", req.param("name"));
               res.json(view(*pm.info(req.param("name"))));
           });
    r.post("/api/v1/plugins/{name}/disable", http::Access::Admin,
           [&host, &pm](http::Request& req, http::Response& res) {
               pm.disable(req.param("name"));
               host.audit(&req, req.principal->user.id, "plugin.disabled", req.param("name"));
               res.json(view(*pm.info(req.param("name"))));
           });

    // Static analysis by every enabled analyzer plugin, merged into one SARIF 2.1.0 log.
    r.post("/api/v1/analyze", http::Access::Authenticated,
           [&pm](http::Request& req, http::Response& res) {
               auto body = req.json();
               json::rejectUnknown(body, {"files", "budget_ms", "options"});
               plugin::AnalysisRequest ar;
               auto files = json::optObject(body, "files");
               if (!files || files->size() == 0)
                   throw ApiError::badRequest("missing_field", "field 'files' is required");
               for (const auto& [path, v] : *files) {
                   if (!v.isString())
                       throw ApiError::badRequest("invalid_field",
                                                  "'files." + path + "' must be a string");
                   ar.files.push_back({path, v.extract<std::string>()});
               }
               ar.budgetMs = json::optInt(body, "budget_ms").value_or(0);
               if (auto o = json::optObject(body, "options")) ar.optionsJson = json::stringify(o);
               auto runs = views::array();
               auto incomplete = views::array();
               for (const auto& p : pm.withKind(plugin::kAnalyzer)) {
                   plugin::AnalysisResult result;
                   std::string error;
                   const bool ok = pm.call(
                       p, "analyze",
                       [&](plugin::Plugin& pl) { result = pl.analyzer()->analyze(ar); }, &error);
                   if (!ok) {
                       incomplete->add(p->name());
                       continue;
                   }
                   try {
                       runs->add(json::parseObject(result.sarifRunJson));
                   } catch (const ApiError&) {
                       incomplete->add(p->name());
                       continue;
                   }
                   if (!result.complete) incomplete->add(p->name());
               }
               auto sarif = views::object();
               sarif->set("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
               sarif->set("version", "2.1.0");
               sarif->set("runs", runs);
               auto out = views::object();
               out->set("sarif", sarif);
               out->set("incomplete", incomplete);
               res.json(out);
           });
}

}  // namespace assay::routes
