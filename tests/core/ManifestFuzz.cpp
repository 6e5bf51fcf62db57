// Fuzz target: the assignment manifest parser and the bundle zip reader. Any exception other
// than the typed ApiError is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "assay/core/bundle/bundle.h"
#include "assay/core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        auto m = assay::bundle::parseManifest(text);
        // A manifest that parses must serialise to one that parses the same way.
        auto again = assay::bundle::parseManifest(assay::json::stringify(assay::bundle::toJson(m)));
        if (again.tests.size() != m.tests.size() || again.id != m.id) __builtin_trap();
    } catch (const assay::ApiError&) {
    }
    if (size >= 4 && data[0] == 'P' && data[1] == 'K') {
        try {
            assay::bundle::loadZipBytes(text);
        } catch (const assay::ApiError&) {
        }
    }
    return 0;
}
