// Small helpers for asserting on parse trees in the parser suites.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "assay/pyparse/Tree.h"

namespace assay::pyparse::testing {

// All nodes of type T below (and including) `node`, in source order.
template <typename T>
void collect(antlr4::tree::ParseTree* node, std::vector<T*>& out) {
    if (auto* hit = dynamic_cast<T*>(node)) out.push_back(hit);
    for (auto* child : node->children)
        collect(child, out);
}

template <typename T>
std::vector<T*> find(const ParseResult& result) {
    std::vector<T*> out;
    if (result.tree()) collect(result.tree(), out);
    return out;
}

// The parse of `source`, which must succeed; the message names the first error.
inline std::unique_ptr<ParseResult> parseValid(const std::string& source) {
    auto result = parse(source, "<test>");
    if (!result->ok()) {
        const auto& e = result->errors().front();
        throw std::runtime_error("unexpected " + e.kind + " at " + std::to_string(e.line) + ":" +
                                 std::to_string(e.column) + ": " + e.message + "\n" + source);
    }
    return result;
}

// Text of every default-channel token of the given type.
inline std::vector<std::string> tokenTexts(const ParseResult& result, size_t type) {
    std::vector<std::string> out;
    for (auto* token : result.tokens()->getTokens())
        if (token->getType() == type && token->getChannel() == antlr4::Token::DEFAULT_CHANNEL)
            out.push_back(token->getText());
    return out;
}

}  // namespace assay::pyparse::testing
