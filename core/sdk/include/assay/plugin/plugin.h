#pragma once
// The interfaces a plugin implements, and the macro that exports its entry point.
#include <boost/config.hpp>
#include <boost/dll/alias.hpp>
#include <vector>

#include "assay/plugin/abi.h"
#include "assay/plugin/host_services.h"
#include "assay/plugin/types.h"

namespace assay::plugin {

class BOOST_SYMBOL_VISIBLE Grader {
  public:
    virtual ~Grader() = default;
    // The test types this grader runs ("io", "unittest", ...).
    virtual std::vector<std::string> testTypes() const = 0;
    virtual GradeResult grade(const GradeRequest& request) = 0;
};

class BOOST_SYMBOL_VISIBLE Analyzer {
  public:
    virtual ~Analyzer() = default;
    virtual AnalysisResult analyze(const AnalysisRequest& request) = 0;
};

class BOOST_SYMBOL_VISIBLE Recommender {
  public:
    virtual ~Recommender() = default;
    virtual std::vector<Recommendation> recommend(const RecommendRequest& request) = 0;
};

// Receives subscribed events. Throwing means "not delivered": the host retries with backoff.
class BOOST_SYMBOL_VISIBLE Notifier {
  public:
    virtual ~Notifier() = default;
    virtual void notify(const Event& event) = 0;
};

class BOOST_SYMBOL_VISIBLE AnalyticsSink {
  public:
    virtual ~AnalyticsSink() = default;
    virtual void record(const Event& event) = 0;
};

class BOOST_SYMBOL_VISIBLE Plugin {
  public:
    virtual ~Plugin() = default;
    // Called once after create(); `host` outlives the plugin.
    virtual void start(HostServices& host) { (void)host; }
    virtual void stop() {}
    virtual Grader* grader() { return nullptr; }
    virtual Analyzer* analyzer() { return nullptr; }
    virtual Recommender* recommender() { return nullptr; }
    virtual Notifier* notifier() { return nullptr; }
    virtual AnalyticsSink* analyticsSink() { return nullptr; }
};

}  // namespace assay::plugin

// Exports `fn` (a function returning const Descriptor*) as the plugin's one entry point.
#define ASSAY_PLUGIN_EXPORT(fn) BOOST_DLL_ALIAS(fn, assay_plugin_v1)

// The usual entry point in one line: a plugin whose class T has a default constructor, built
// with assay_add_plugin (which defines ASSAY_PLUGIN_NAME and ASSAY_PLUGIN_VERSION). Place it
// at namespace scope, outside any namespace.
//   ASSAY_PLUGIN_DEFINE(my::Checker, assay::plugin::kAnalyzer,
//   R"([{"name":"limit","default":"10"}])")
#define ASSAY_PLUGIN_DEFINE(T, kinds, configSchema)                                 \
    namespace {                                                                     \
    assay::plugin::Plugin* assayPluginCreate() {                                    \
        return new T;                                                               \
    }                                                                               \
    void assayPluginDestroy(assay::plugin::Plugin* p) {                             \
        delete p;                                                                   \
    }                                                                               \
    const assay::plugin::Descriptor* assayPluginDescribe() {                        \
        static const assay::plugin::Descriptor d{ASSAY_PLUGIN_ABI_VERSION,          \
                                                 sizeof(assay::plugin::Descriptor), \
                                                 ASSAY_PLUGIN_NAME,                 \
                                                 ASSAY_PLUGIN_VERSION,              \
                                                 (kinds),                           \
                                                 (configSchema),                    \
                                                 &assayPluginCreate,                \
                                                 &assayPluginDestroy};              \
        return &d;                                                                  \
    }                                                                               \
    }                                                                               \
    ASSAY_PLUGIN_EXPORT(assayPluginDescribe)
