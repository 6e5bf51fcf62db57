// The token loop: INDENT/DEDENT from the indentation stack, NEWLINE hidden inside
// brackets and on blank lines, and the end of input (see TokenSourceModes.cpp for
// brackets, f-string modes and literal errors).
#include "TokenSource.h"

#include <cstdio>

#include "antlr4-runtime.h"

namespace assay::pyparse {

using antlr4::CommonToken;
using antlr4::Token;
using L = gen::PythonLexer;

TokenSource::TokenSource(antlr4::CharStream* input, int lastLine)
    : PythonLexer(input), lastLine_(lastLine) {}

std::unique_ptr<Token> TokenSource::pull() {
    return PythonLexer::nextToken();
}

std::unique_ptr<Token> TokenSource::synthetic(size_t type, size_t start, size_t stop, size_t line,
                                              size_t column, const std::string& text) {
    auto token = std::make_unique<CommonToken>(std::make_pair(this, _input), type,
                                               Token::DEFAULT_CHANNEL, start, stop);
    token->setLine(line);
    token->setCharPositionInLine(column);
    token->setText(text);
    return token;
}

void TokenSource::fail(std::string kind, std::string message, size_t line, size_t column1) {
    if (error_) return;
    error_ = SyntaxError{std::move(kind), std::move(message), static_cast<int>(line),
                         static_cast<int>(column1)};
}

void TokenSource::stopAt(const Token& token) {
    stopLine_ = static_cast<int>(token.getLine());
    stopColumn_ = static_cast<int>(token.getCharPositionInLine()) + 1;
}

void TokenSource::setModeForTop() {
    if (frames_.empty()) {
        setMode(DEFAULT_MODE);
        return;
    }
    const Frame& top = frames_.back();
    setMode(top.kind == Frame::Kind::Body   ? top.bodyMode
            : top.kind == Frame::Kind::Spec ? top.specMode
                                            : DEFAULT_MODE);
}

std::unique_ptr<Token> TokenSource::nextToken() {
    while (pending_.empty()) {
        if (finished_) {
            const size_t end = _input->index();
            pending_.push_back(
                synthetic(Token::EOF, end, end - 1, getLine(), getCharPositionInLine(), "<EOF>"));
            break;
        }
        auto token = pull();
        const size_t type = token->getType();
        if (type == Token::EOF) {
            finish(*token);
            if (error_) stopAt(*token);
            pending_.push_back(std::move(token));
            finished_ = true;
            break;
        }
        if (token->getChannel() != Token::DEFAULT_CHANNEL) {
            if (token->getType() == L::LINE_JOIN) {
                lineJoinLine_ = token->getLine();
                lineJoinColumn_ = token->getCharPositionInLine();
            } else if (token->getType() != L::WS) {
                lineJoinLine_ = 0;
            }
            pending_.push_back(std::move(token));
            continue;
        }
        lineJoinLine_ = 0;
        // Indentation first: CPython emits INDENT/DEDENT before it looks at the token.
        if (atLineStart_ && token->getType() != L::NEWLINE) {
            handleIndentation(*token);
            atLineStart_ = false;
            if (error_) {
                stopAt(*token);
                pending_.clear();
                pending_.push_back(synthetic(Token::EOF, token->getStartIndex(),
                                             token->getStartIndex() - 1, token->getLine(),
                                             token->getCharPositionInLine(), "<EOF>"));
                finished_ = true;
                break;
            }
        }
        trackModes(*token);
        if (!error_) checkLiteral(*token);
        if (error_) {
            // The stream ends at a tokenizer error, as CPython's does.
            stopAt(*token);
            pending_.push_back(synthetic(Token::EOF, token->getStartIndex(),
                                         token->getStartIndex() - 1, token->getLine(),
                                         token->getCharPositionInLine(), "<EOF>"));
            finished_ = true;
            break;
        }
        if (token->getType() == L::NEWLINE) {
            if (!brackets_.empty() || atLineStart_) {
                static_cast<CommonToken*>(token.get())->setChannel(Token::HIDDEN_CHANNEL);
            } else {
                atLineStart_ = true;
            }
            pending_.push_back(std::move(token));
            continue;
        }
        prevType_ = token->getType();
        prevStop_ = token->getStopIndex();
        // Only numbers and strings are looked back at; copying every token's text costs.
        if (prevType_ == L::NUMBER || prevType_ == L::STRING)
            prevText_ = token->getText();
        else
            prevText_.clear();
        prevLine_ = token->getLine();
        prevColumn_ = token->getCharPositionInLine();
        pending_.push_back(std::move(token));
    }
    auto front = std::move(pending_.front());
    pending_.pop_front();
    return front;
}

void TokenSource::handleIndentation(const Token& first) {
    const size_t start = first.getStartIndex();
    const size_t chars = first.getCharPositionInLine();
    const size_t lineStart = start - chars;
    const std::string ws =
        chars ? _input->getText(antlr4::misc::Interval(lineStart, start - 1)) : std::string();
    int col = 0;
    int alt = 0;
    for (char c : ws) {
        if (c == ' ') {
            ++col;
            ++alt;
        } else if (c == '\t') {
            col = (col / 8 + 1) * 8;
            ++alt;
        } else if (c == '\f') {
            col = 0;
            alt = 0;
        }
    }
    const size_t line = first.getLine();
    if (col == indents_.back()) {
        if (alt != altIndents_.back())
            fail("TabError", "inconsistent use of tabs and spaces in indentation", line, 1);
        return;
    }
    if (col > indents_.back()) {
        if (alt <= altIndents_.back()) {
            fail("TabError", "inconsistent use of tabs and spaces in indentation", line, 1);
            return;
        }
        if (indents_.size() >= kMaxIndents) {
            fail("IndentationError", "too many levels of indentation", line, chars + 1);
            return;
        }
        indents_.push_back(col);
        altIndents_.push_back(alt);
        pending_.push_back(synthetic(L::INDENT, lineStart, start - 1, line, 0, ws));
        return;
    }
    while (indents_.size() > 1 && col < indents_.back()) {
        indents_.pop_back();
        altIndents_.pop_back();
        pending_.push_back(synthetic(L::DEDENT, start, start - 1, line, chars, ""));
    }
    if (col != indents_.back()) {
        // CPython points just past the end of the offending line.
        size_t end = start;
        while (end < _input->size() && _input->getText(antlr4::misc::Interval(end, end)) != "\n")
            ++end;
        fail("IndentationError", "unindent does not match any outer indentation level", line,
             end - lineStart + 1);
        return;
    }
    if (alt != altIndents_.back())
        fail("TabError", "inconsistent use of tabs and spaces in indentation", line, 1);
}

void TokenSource::finish(const Token& eof) {
    if (lineJoinLine_ != 0)
        fail("SyntaxError", "unexpected EOF while parsing", lineJoinLine_, lineJoinColumn_ + 2);
    if (!frames_.empty()) {
        for (auto it = frames_.rbegin(); it != frames_.rend(); ++it) {
            if (it->kind != Frame::Kind::Body) continue;
            fail("SyntaxError",
                 std::string(it->triple ? "unterminated triple-quoted f-string literal"
                                        : "unterminated f-string literal") +
                     " (detected at line " + std::to_string(lastLine_) + ")",
                 it->line, it->column + 1);
            break;
        }
    }
    if (!brackets_.empty()) {
        const Bracket& open = brackets_.back();
        fail("SyntaxError", std::string("'") + open.ch + "' was never closed", open.line,
             open.column + 1);
    }
    if (error_) return;
    const size_t at = eof.getStartIndex();
    if (!atLineStart_)
        pending_.push_back(
            synthetic(L::NEWLINE, at, at - 1, eof.getLine(), eof.getCharPositionInLine(), "\n"));
    while (indents_.size() > 1) {
        indents_.pop_back();
        altIndents_.pop_back();
        pending_.push_back(
            synthetic(L::DEDENT, at, at - 1, eof.getLine(), eof.getCharPositionInLine(), ""));
    }
}

}  // namespace assay::pyparse
