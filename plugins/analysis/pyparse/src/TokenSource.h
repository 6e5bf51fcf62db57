// The lexer as the parser sees it: the generated PythonLexer plus what the reference
// says the tokenizer does beyond regular tokens: INDENT/DEDENT from a stack of
// indentation levels, NEWLINE dropped inside brackets and on blank lines, the
// f-string mode switches (PEP 701), and tokenizer errors with CPython's messages.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "PythonLexer.h"
#include "assay/pyparse/SyntaxError.h"

namespace assay::pyparse {

class TokenSource : public gen::PythonLexer {
  public:
    // `lastLine` is the number of the last line holding text (for "detected at line").
    TokenSource(antlr4::CharStream* input, int lastLine);

    std::unique_ptr<antlr4::Token> nextToken() override;

    // The first tokenizer error, if any; the token stream ends at it.
    const std::optional<SyntaxError>& error() const { return error_; }
    // Where the stream ended because of the error (1-based line and column).
    int stopLine() const { return stopLine_; }
    int stopColumn() const { return stopColumn_; }

    static constexpr size_t kMaxBrackets = 200;  // CPython's MAXLEVEL
    static constexpr size_t kMaxIndents = 100;   // CPython's MAXINDENT

  private:
    // An open bracket: the character and where it stands (1-based line, 0-based column).
    struct Bracket {
        char ch;
        size_t line;
        size_t column;
    };
    // The f-string nesting: a body, a replacement field in it, a format spec.
    struct Frame {
        enum class Kind { Body, Field, Spec } kind;
        size_t bodyMode;
        size_t specMode;
        size_t bracketBase;  // brackets open when a Field began (its '{' included)
        bool triple;
        size_t line;
        size_t column;
    };

    std::unique_ptr<antlr4::Token> pull();
    void trackModes(antlr4::Token& token);
    void trackBracket(antlr4::Token& token, size_t type);
    void checkLiteral(const antlr4::Token& token);
    void handleIndentation(const antlr4::Token& first);
    void finish(const antlr4::Token& eof);
    std::unique_ptr<antlr4::Token> synthetic(size_t type, size_t start, size_t stop, size_t line,
                                             size_t column, const std::string& text);
    void fail(std::string kind, std::string message, size_t line, size_t column1);
    void stopAt(const antlr4::Token& token);
    void setModeForTop();

    std::deque<std::unique_ptr<antlr4::Token>> pending_;
    std::vector<int> indents_{0};
    std::vector<int> altIndents_{0};
    std::vector<Bracket> brackets_;
    std::vector<Frame> frames_;
    std::optional<SyntaxError> error_;
    bool atLineStart_ = true;
    bool finished_ = false;
    int lastLine_;
    int stopLine_ = 0;
    int stopColumn_ = 0;
    // The previous default-channel raw token, for checks that look one token back.
    size_t prevType_ = 0;
    size_t prevStop_ = 0;
    std::string prevText_;
    size_t prevLine_ = 0;
    size_t prevColumn_ = 0;
    // The last backslash continuation, while nothing but whitespace followed it.
    size_t lineJoinLine_ = 0;
    size_t lineJoinColumn_ = 0;
};

}  // namespace assay::pyparse
