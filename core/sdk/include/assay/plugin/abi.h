#pragma once
// The plugin ABI. A plugin exports exactly one entry point, `assay_plugin_v1`, that returns a
// Descriptor whose first field is the ABI version. The host reads that field before it touches
// anything else; a new ABI gets a new entry-point name.
#include <cstdint>

#define ASSAY_PLUGIN_ABI_VERSION 1u
#define ASSAY_PLUGIN_ENTRY "assay_plugin_v1"

namespace assay::plugin {

class Plugin;

// What a plugin provides; one plugin may provide several.
enum Kind : uint32_t {
    kGrader = 1u << 0,
    kAnalyzer = 1u << 1,
    kRecommender = 1u << 2,
    kNotifier = 1u << 3,
    kAnalyticsSink = 1u << 4,
};

struct Descriptor {
    uint32_t abiVersion;       // ASSAY_PLUGIN_ABI_VERSION; must stay the first field
    uint32_t descriptorSize;   // sizeof(Descriptor) as the plugin saw it
    const char* name;          // dotted and unique, e.g. "edu.example.linecount"
    const char* version;       // the plugin's own version, e.g. "1.2.0"
    uint32_t kinds;            // Kind bits
    const char* configSchema;  // JSON array of {"name", "type", "default", "help"}
    Plugin* (*create)();       // may throw; the host catches it
    void (*destroy)(Plugin*);  // frees what create() made, inside the plugin
};

using EntryPoint = const Descriptor*();

}  // namespace assay::plugin
