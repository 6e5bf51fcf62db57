// Turns ANTLR's syntax errors into CPython's wording and positions.
#pragma once

#include <optional>
#include <vector>

#include "antlr4-runtime.h"
#include "assay/pyparse/SyntaxError.h"

namespace assay::pyparse {

class ErrorReporter : public antlr4::BaseErrorListener {
  public:
    void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offendingSymbol, size_t line,
                     size_t charPositionInLine, const std::string& msg,
                     std::exception_ptr e) override;

    std::vector<SyntaxError>& errors() { return errors_; }
    const std::vector<SyntaxError>& errors() const { return errors_; }
    // Where the parser met the first error (the offending token, 1-based).
    int offendingLine() const { return offendingLine_; }
    int offendingColumn() const { return offendingColumn_; }

  private:
    std::vector<SyntaxError> errors_;
    int offendingLine_ = 0;
    int offendingColumn_ = 0;
};

// A tokenizer error and the position (line, 1-based column) where it ended the stream.
struct TokenizerStop {
    SyntaxError error;
    int line = 0;
    int column = 0;
};

// Chooses the error CPython would report. The token stream ends at a tokenizer error,
// so a parser error met at or after that point is its consequence. A parser error met
// before it wins when it is specific; a generic one yields to a later tokenizer error
// (CPython tokenizes the rest of the file before reporting it), and to a bracket left
// open on a line before the error.
std::vector<SyntaxError> mergeErrors(const std::optional<TokenizerStop>& tokenizer,
                                     const ErrorReporter& parser,
                                     std::vector<SyntaxError> checkErrors);

}  // namespace assay::pyparse
