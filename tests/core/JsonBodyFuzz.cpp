// Fuzz target: JSON request bodies as the REST handlers read them: the strict parser, the
// unknown-field check and every typed accessor. Any exception other than ApiError is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "assay/core/error.h"
#include "assay/core/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        auto o = assay::json::parseObject(text);
        for (const auto& [key, value] : *o) {
            auto probe = [&](auto fn) {
                try {
                    fn();
                } catch (const assay::ApiError&) {
                }
            };
            probe([&] { assay::json::optString(o, key); });
            probe([&] { assay::json::optInt(o, key); });
            probe([&] { assay::json::optNumber(o, key); });
            probe([&] { assay::json::optBool(o, key); });
            probe([&] { assay::json::optObject(o, key); });
            probe([&] { assay::json::optArray(o, key); });
        }
        assay::json::rejectUnknown(o, {"code", "title", "files", "kind"});
        (void)assay::json::stringify(o);
    } catch (const assay::ApiError&) {
    }
    return 0;
}
