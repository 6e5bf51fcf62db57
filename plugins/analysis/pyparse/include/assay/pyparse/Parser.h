// Python 3.12 parser: source bytes in, parse tree and syntax errors out.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "assay/pyparse/SyntaxError.h"

namespace antlr4 {
class CommonTokenStream;
class ParserRuleContext;
}  // namespace antlr4

namespace assay::pyparse {

// The outcome of one parse. Owns the decoded text, the tokens and the tree; the
// tree and tokens stay valid as long as this object lives.
class ParseResult {
  public:
    struct State;
    explicit ParseResult(std::unique_ptr<State> state);
    ~ParseResult();
    ParseResult(const ParseResult&) = delete;
    ParseResult& operator=(const ParseResult&) = delete;

    bool ok() const { return errors_.empty(); }
    // The syntax error CPython would report, or none: parsing stops at the first error
    // as CPython's does, so the list holds at most one entry today.
    const std::vector<SyntaxError>& errors() const { return errors_; }
    const std::string& filename() const;
    // The source decoded to UTF-8 (PEP 263), BOM removed, line endings as '\n'.
    const std::string& text() const;
    // The root of the tree (a file_input context, see Tree.h for typed access);
    // null if the source could not be decoded or was nested too deeply. Present for
    // other errors (then repaired by error recovery; see buildModel).
    antlr4::ParserRuleContext* tree() const;
    // All tokens including the hidden channel (comments, whitespace).
    antlr4::CommonTokenStream* tokens() const;
    // Number of source lines.
    std::size_t lineCount() const;

  private:
    friend class Parser;
    std::unique_ptr<State> state_;
    std::vector<SyntaxError> errors_;
};

// Parser options for long-running use.
struct ParserOptions {
    // Clear ANTLR's shared prediction caches (DFA and context cache) once they hold
    // more than this many DFA states; 0 keeps them forever. They grow with the variety
    // of code seen and make later parses faster.
    std::size_t maxCachedDfaStates = 200000;
    // Deepest rule nesting accepted before the source is refused as too complex.
    std::size_t maxRuleDepth = 4000;
};

// A reusable parser. The grammar's prediction caches are shared process-wide, so a
// Parser kept alive (and warmed up once) answers quickly. Safe to use from several
// threads at once; cache resets wait for parses in flight.
class Parser {
  public:
    explicit Parser(ParserOptions options = {});

    std::unique_ptr<ParseResult> parse(std::string_view source, std::string_view filename) const;

    // Parses a small sample so that the first real parse pays no start-up cost.
    void warmUp() const;

    // Drops the shared prediction caches (all parsers). Returns the DFA states freed.
    static std::size_t resetCaches();
    // DFA states currently cached for the lexer and parser together.
    static std::size_t cachedDfaStates();

  private:
    ParserOptions options_;
};

// Convenience: parse with a process-wide default Parser.
std::unique_ptr<ParseResult> parse(std::string_view source, std::string_view filename);

}  // namespace assay::pyparse
