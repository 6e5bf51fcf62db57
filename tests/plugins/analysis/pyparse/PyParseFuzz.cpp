// Fuzz target: any bytes through decoding, lexing, parsing, the syntax checks and the model.
// Invariants: no crash, errors carry positions, an accepted source has a tree.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "assay/pyparse/Model.h"
#include "assay/pyparse/Parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const assay::pyparse::Parser parser;
    const auto result =
        parser.parse(std::string_view(reinterpret_cast<const char*>(data), size), "<fuzz>");
    for (const auto& error : result->errors()) {
        if (error.line < 1 || error.column < 0 || error.message.empty()) std::abort();
    }
    if (result->ok() && result->tree() == nullptr) std::abort();
    // The model is built from partial trees too (error recovery); it must hold up.
    const auto model = assay::pyparse::buildModel(*result);
    for (const auto& fn : model->functions)
        if (fn->complexity < 1) std::abort();
    return 0;
}
