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

  private:
    std::vector<SyntaxError> errors_;
};

// A tokenizer error and the position (line, 1-based column) where it ended the stream.
struct TokenizerStop {
    SyntaxError error;
    int line = 0;
    int column = 0;
};

// Chooses the error CPython would report. The token stream ends at a tokenizer error,
// so parser errors at or after that point are its consequences. A parser error before
// it wins when it is specific; a generic "invalid syntax" yields to the tokenizer
// error (CPython tokenizes the rest of the file before reporting one), and an unclosed
// bracket only matters when the parser reached the end of the file.
std::vector<SyntaxError> mergeErrors(const std::optional<TokenizerStop>& tokenizer,
                                     std::vector<SyntaxError> parserErrors,
                                     std::vector<SyntaxError> checkErrors);

}  // namespace assay::pyparse
