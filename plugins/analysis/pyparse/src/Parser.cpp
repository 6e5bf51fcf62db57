// The parse driver: decode, lex, two-stage prediction, error collection, caches.
#include "assay/pyparse/Parser.h"

#include <atomic>
#include <mutex>
#include <shared_mutex>

#include "ErrorReporter.h"
#include "PythonParser.h"
#include "SyntaxChecks.h"
#include "TokenSource.h"
#include "antlr4-runtime.h"
#include "assay/pyparse/SourceText.h"

namespace assay::pyparse {

struct ParseResult::State {
    std::string filename;
    std::string text;
    std::size_t lines = 0;
    std::unique_ptr<antlr4::ANTLRInputStream> input;
    std::unique_ptr<TokenSource> lexer;
    std::unique_ptr<antlr4::CommonTokenStream> tokens;
    std::unique_ptr<gen::PythonParser> parser;
    antlr4::ParserRuleContext* tree = nullptr;
};

ParseResult::ParseResult(std::unique_ptr<State> state) : state_(std::move(state)) {}
ParseResult::~ParseResult() = default;
const std::string& ParseResult::filename() const {
    return state_->filename;
}
const std::string& ParseResult::text() const {
    return state_->text;
}
antlr4::ParserRuleContext* ParseResult::tree() const {
    return state_->tree;
}
antlr4::CommonTokenStream* ParseResult::tokens() const {
    return state_->tokens.get();
}
std::size_t ParseResult::lineCount() const {
    return state_->lines;
}

namespace {

// Guards the process-wide prediction caches: parses share them, a reset owns them.
std::shared_mutex& cacheMutex() {
    static std::shared_mutex mutex;
    return mutex;
}

std::atomic<std::size_t>& parseCounter() {
    static std::atomic<std::size_t> counter{0};
    return counter;
}

struct TooComplex {};

// Refuses sources nested so deeply that the recursive descent would exhaust the stack.
class DepthGuard : public antlr4::tree::ParseTreeListener {
  public:
    explicit DepthGuard(std::size_t limit) : limit_(limit) {}
    void enterEveryRule(antlr4::ParserRuleContext*) override {
        if (++depth_ > limit_) throw TooComplex{};
    }
    void exitEveryRule(antlr4::ParserRuleContext*) override { --depth_; }
    void visitTerminal(antlr4::tree::TerminalNode*) override {}
    void visitErrorNode(antlr4::tree::ErrorNode*) override {}
    void reset() { depth_ = 0; }

  private:
    std::size_t limit_;
    std::size_t depth_ = 0;
};

// Records anything the lexer could not match (the grammar has a catch-all, so this
// is a safety net).
class LexerErrors : public antlr4::BaseErrorListener {
  public:
    void syntaxError(antlr4::Recognizer*, antlr4::Token*, size_t line, size_t column,
                     const std::string&, std::exception_ptr) override {
        if (!first)
            first = SyntaxError{"SyntaxError", "invalid syntax", static_cast<int>(line),
                                static_cast<int>(column) + 1};
    }
    std::optional<SyntaxError> first;
};

int lastTextLine(const std::string& text, std::size_t& lineCount) {
    std::size_t newlines = 0;
    for (char c : text)
        newlines += c == '\n';
    lineCount = newlines + ((!text.empty() && text.back() != '\n') ? 1 : 0);
    return static_cast<int>(lineCount == 0 ? 1 : lineCount);
}

// Walks the caches of one lexer/parser pair (the caches themselves are static).
template <typename Fn>
void withSimulators(Fn&& fn) {
    antlr4::ANTLRInputStream input("");
    gen::PythonLexer lexer(&input);
    antlr4::CommonTokenStream tokens(&lexer);
    gen::PythonParser parser(&tokens);
    fn(*lexer.getInterpreter<antlr4::atn::LexerATNSimulator>(),
       *parser.getInterpreter<antlr4::atn::ParserATNSimulator>());
}

}  // namespace

Parser::Parser(ParserOptions options) : options_(options) {}

std::unique_ptr<ParseResult> Parser::parse(std::string_view source,
                                           std::string_view filename) const {
    auto state = std::make_unique<ParseResult::State>();
    state->filename = std::string(filename);
    DecodedSource decoded = decodeSource(source);
    state->text = std::move(decoded.text);
    const int lastLine = lastTextLine(state->text, state->lines);
    if (decoded.error) {
        auto result = std::make_unique<ParseResult>(std::move(state));
        result->errors_.push_back(*decoded.error);
        return result;
    }
    std::vector<SyntaxError> merged;
    std::vector<SyntaxError> checkErrors;
    std::optional<TokenizerStop> tokenizerError;
    {
        std::shared_lock lock(cacheMutex());
        state->input = std::make_unique<antlr4::ANTLRInputStream>(state->text);
        state->input->name = state->filename;
        state->lexer = std::make_unique<TokenSource>(state->input.get(), lastLine);
        LexerErrors lexerErrors;
        state->lexer->removeErrorListeners();
        state->lexer->addErrorListener(&lexerErrors);
        state->tokens = std::make_unique<antlr4::CommonTokenStream>(state->lexer.get());
        state->parser = std::make_unique<gen::PythonParser>(state->tokens.get());
        auto& parser = *state->parser;
        parser.removeErrorListeners();
        DepthGuard guard(options_.maxRuleDepth);
        parser.addParseListener(&guard);
        ErrorReporter reporter;
        try {
            // Stage 1: SLL prediction, bail out at the first error.
            parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
                antlr4::atn::PredictionMode::SLL);
            parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
            try {
                state->tree = parser.file_input();
            } catch (const antlr4::ParseCancellationException&) {
                // Stage 2: full LL with error recovery and reporting.
                state->tree = nullptr;
                guard.reset();
                parser.reset();
                parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
                    antlr4::atn::PredictionMode::LL);
                parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
                parser.addErrorListener(&reporter);
                state->tree = parser.file_input();
                parser.removeErrorListeners();
            }
        } catch (const TooComplex&) {
            parser.removeErrorListeners();
            antlr4::Token* at = parser.getCurrentToken();
            reporter.errors().push_back(
                {"SyntaxError", "too many nested parentheses",
                 at ? static_cast<int>(at->getLine()) : 1,
                 at ? static_cast<int>(at->getCharPositionInLine()) + 1 : 1});
            state->tree = nullptr;
        }
        parser.removeParseListeners();
        // After a parse error, read the rest of the input as CPython does: a tokenizer
        // error further on may be the one to report.
        if (!reporter.errors().empty() && !state->lexer->error()) state->tokens->fill();
        if (const auto& error = state->lexer->error())
            tokenizerError =
                TokenizerStop{*error, state->lexer->stopLine(), state->lexer->stopColumn()};
        else if (lexerErrors.first)
            tokenizerError = TokenizerStop{*lexerErrors.first, lexerErrors.first->line,
                                           lexerErrors.first->column};
        if (state->tree && reporter.errors().empty() && !tokenizerError)
            checkErrors =
                checkSyntax(static_cast<gen::PythonParser::File_inputContext*>(state->tree));
        state->lexer->removeErrorListeners();
        merged = mergeErrors(tokenizerError, reporter, std::move(checkErrors));
    }
    auto result = std::make_unique<ParseResult>(std::move(state));
    result->errors_ = std::move(merged);
    if (options_.maxCachedDfaStates != 0 && ++parseCounter() % 64 == 0 &&
        cachedDfaStates() > options_.maxCachedDfaStates)
        resetCaches();
    return result;
}

void Parser::warmUp() const {
    static const char* const kSample =
        "import os\n@dec\nclass A(B, metaclass=M):\n    x: int = 1\n    def f(self, a, /, b=2, *c, "
        "d, **e) -> None:\n"
        "        return [i async for i in g() if i] or {k: v for k, v in d.items()} or "
        "f'{a!r:>{w}}'\n"
        "async def g():\n    async with a as b, c:\n        await b\n"
        "match p:\n    case [1, *r] | {'k': _} | P(x=1) if y:\n        pass\n"
        "type T[X] = list[X]\ntry:\n    pass\nexcept* E as e:\n    raise\n";
    parse(kSample, "<warm-up>");
}

std::size_t Parser::cachedDfaStates() {
    std::unique_lock lock(cacheMutex());
    std::size_t total = 0;
    withSimulators(
        [&](antlr4::atn::LexerATNSimulator& lexer, antlr4::atn::ParserATNSimulator& parser) {
            (void)lexer;
            for (auto& dfa : parser.decisionToDFA)
                total += dfa.states.size();
        });
    return total;
}

std::size_t Parser::resetCaches() {
    std::unique_lock lock(cacheMutex());
    std::size_t freed = 0;
    withSimulators(
        [&](antlr4::atn::LexerATNSimulator& lexer, antlr4::atn::ParserATNSimulator& parser) {
            for (auto& dfa : parser.decisionToDFA)
                freed += dfa.states.size();
            parser.clearDFA();
            parser.getSharedContextCache().clear();
            lexer.clearDFA();
            lexer.getSharedContextCache().clear();
        });
    return freed;
}

std::unique_ptr<ParseResult> parse(std::string_view source, std::string_view filename) {
    static const Parser parser;
    return parser.parse(source, filename);
}

}  // namespace assay::pyparse
