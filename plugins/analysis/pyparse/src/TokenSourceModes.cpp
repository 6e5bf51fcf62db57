// Tokens that change lexer state or carry tokenizer errors: brackets, the f-string
// mode stack (PEP 701), unterminated strings, stray characters, malformed numbers.
#include <cstdio>

#include "TokenSource.h"
#include "antlr4-runtime.h"

namespace assay::pyparse {

using antlr4::CommonToken;
using antlr4::Token;
using L = gen::PythonLexer;

namespace {

char closerFor(char open) {
    return open == '(' ? ')' : open == '[' ? ']' : '}';
}

bool isStringPrefixChar(char c) {
    switch (c) {
        case 'r':
        case 'R':
        case 'b':
        case 'B':
        case 'u':
        case 'U':
        case 'f':
        case 'F':
            return true;
        default:
            return false;
    }
}

// Decodes the first code point of a UTF-8 string.
uint32_t firstCodePoint(const std::string& s) {
    if (s.empty()) return 0;
    const auto c = static_cast<unsigned char>(s[0]);
    if (c < 0x80) return c;
    const int len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    uint32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
    for (int i = 1; i < len && i < static_cast<int>(s.size()); ++i)
        cp = (cp << 6) | (s[i] & 0x3F);
    return cp;
}

}  // namespace

void TokenSource::trackBracket(Token& token, size_t type) {
    const size_t line = token.getLine();
    const size_t column = token.getCharPositionInLine();
    if (type == L::LPAR || type == L::LSQB || type == L::LBRACE) {
        if (brackets_.size() >= kMaxBrackets) {
            fail("SyntaxError", "too many nested parentheses", line, column + 1);
            return;
        }
        brackets_.push_back({type == L::LPAR ? '(' : type == L::LSQB ? '[' : '{', line, column});
        return;
    }
    const char closer = type == L::RPAR ? ')' : type == L::RSQB ? ']' : '}';
    const bool fieldBrace = !frames_.empty() && frames_.back().kind == Frame::Kind::Field &&
                            brackets_.size() == frames_.back().bracketBase;
    if (brackets_.empty() || fieldBrace) {
        fail("SyntaxError",
             std::string(fieldBrace ? "f-string: unmatched '" : "unmatched '") + closer + "'", line,
             column + 1);
        return;
    }
    const Bracket open = brackets_.back();
    if (closerFor(open.ch) != closer) {
        std::string message = std::string("closing parenthesis '") + closer +
                              "' does not match opening parenthesis '" + open.ch + "'";
        if (open.line != line) message += " on line " + std::to_string(open.line);
        fail("SyntaxError", message, line, column + 1);
        return;
    }
    brackets_.pop_back();
}

void TokenSource::trackModes(Token& token) {
    const size_t type = token.getType();
    const size_t line = token.getLine();
    const size_t column = token.getCharPositionInLine();
    auto unterminated = [&]() {
        for (auto it = frames_.rbegin(); it != frames_.rend(); ++it) {
            if (it->kind != Frame::Kind::Body) continue;
            fail("SyntaxError",
                 std::string(it->triple ? "unterminated triple-quoted f-string literal"
                                        : "unterminated f-string literal") +
                     " (detected at line " +
                     std::to_string(it->triple ? lastLine_ : static_cast<int>(line)) + ")",
                 it->line, it->column + 1);
            return;
        }
    };
    if (frames_.empty() || frames_.back().kind == Frame::Kind::Field) {
        switch (type) {
            case L::FSTRING_START: {
                const std::string text = token.getText();
                const bool triple = text.size() >= 3 &&
                                    text[text.size() - 1] == text[text.size() - 2] &&
                                    text[text.size() - 2] == text[text.size() - 3];
                const bool raw = text.find_first_of("rR") != std::string::npos;
                const bool dq = text.back() == '"';
                const size_t kind = (dq ? 1 : 0) + (triple ? 2 : 0);
                const size_t bodyMode = (raw ? RAW_FSTRING_SQ : FSTRING_SQ) + kind;
                const size_t specMode = FORMAT_SPEC_SQ + kind;
                frames_.push_back({Frame::Kind::Body, bodyMode, specMode, 0, triple, line, column});
                setMode(bodyMode);
                return;
            }
            case L::LPAR:
            case L::LSQB:
            case L::LBRACE:
                trackBracket(token, type);
                return;
            case L::RBRACE:
                if (!frames_.empty() && brackets_.size() == frames_.back().bracketBase) {
                    brackets_.pop_back();
                    frames_.pop_back();
                    setModeForTop();
                    return;
                }
                trackBracket(token, type);
                return;
            case L::RPAR:
            case L::RSQB:
                trackBracket(token, type);
                return;
            case L::COLON:
            case L::COLONEQUAL:
                if (!frames_.empty() && brackets_.size() == frames_.back().bracketBase) {
                    if (type == L::COLONEQUAL) {
                        // "{x:=5}" is x formatted with spec "=5": keep ':' and re-read the rest.
                        auto& common = static_cast<CommonToken&>(token);
                        common.setType(L::COLON);
                        common.setText(":");
                        common.setStopIndex(token.getStartIndex());
                        _input->seek(token.getStartIndex() + 1);
                        getInterpreter<antlr4::atn::LexerATNSimulator>()->setCharPositionInLine(
                            column + 1);
                    }
                    frames_.push_back(
                        {Frame::Kind::Spec, 0, frames_.back().specMode, 0, false, line, column});
                    setModeForTop();
                }
                return;
            default:
                return;
        }
    }
    Frame& top = frames_.back();
    if (top.kind == Frame::Kind::Body) {
        switch (type) {
            case L::FSTRING_END:
                frames_.pop_back();
                setModeForTop();
                return;
            case L::LBRACE: {
                trackBracket(token, type);
                const size_t specMode = top.specMode;
                frames_.push_back(
                    {Frame::Kind::Field, 0, specMode, brackets_.size(), false, line, column});
                setMode(DEFAULT_MODE);
                return;
            }
            case L::RBRACE:
                fail("SyntaxError", "f-string: single '}' is not allowed", line, column + 1);
                return;
            case L::ERRORTOKEN:
                unterminated();
                return;
            default:
                return;
        }
    }
    // A format specification.
    switch (type) {
        case L::LBRACE: {
            trackBracket(token, type);
            const size_t specMode = top.specMode;
            frames_.push_back(
                {Frame::Kind::Field, 0, specMode, brackets_.size(), false, line, column});
            setMode(DEFAULT_MODE);
            return;
        }
        case L::RBRACE:
            frames_.pop_back();  // the spec
            frames_.pop_back();  // its field
            brackets_.pop_back();
            setModeForTop();
            return;
        case L::FSTRING_END:
            fail("SyntaxError", "f-string: expecting '}'", line, column + 1);
            return;
        case L::ERRORTOKEN:
            unterminated();
            return;
        default:
            return;
    }
}

void TokenSource::checkLiteral(const Token& token) {
    const size_t type = token.getType();
    const size_t line = token.getLine();
    const size_t column = token.getCharPositionInLine();
    if (type == L::UNTERMINATED_STRING) {
        const std::string text = token.getText();
        size_t q = 0;
        while (q < text.size() && isStringPrefixChar(text[q]))
            ++q;
        const char quote = q < text.size() ? text[q] : '\'';
        // "'''abc" lexes as the empty string "''" followed by "'abc".
        const bool triple =
            prevType_ == L::STRING && prevStop_ + 1 == token.getStartIndex() && q == 0 &&
            prevText_.size() >= 2 && prevText_[prevText_.size() - 1] == quote &&
            prevText_[prevText_.size() - 2] == quote &&
            (prevText_.size() == 2 || isStringPrefixChar(prevText_[prevText_.size() - 3]));
        if (triple) {
            fail("SyntaxError",
                 "unterminated triple-quoted string literal (detected at line " +
                     std::to_string(lastLine_) + ")",
                 prevLine_, prevColumn_ + 1);
        } else {
            fail("SyntaxError",
                 "unterminated string literal (detected at line " + std::to_string(line) + ")",
                 line, column + 1);
        }
        return;
    }
    if (type == L::ERRORTOKEN && frames_.empty()) {
        const std::string text = token.getText();
        const uint32_t cp = firstCodePoint(text);
        char buf[64];
        if (cp == '\\') {
            // A backslash ending the input is a continuation into nothing.
            fail("SyntaxError",
                 _input->index() >= _input->size()
                     ? "unexpected EOF while parsing"
                     : "unexpected character after line continuation character",
                 line, column + 2);

        } else if (cp == 0) {
            fail("SyntaxError", "source code cannot contain null bytes", line, column + 1);
        } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xAD ||
                   (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
                   cp == 0xFEFF) {
            std::snprintf(buf, sizeof buf, "invalid non-printable character U+%04X", cp);
            fail("SyntaxError", buf, line, column + 1);
        } else if (cp >= 0x80) {
            std::snprintf(buf, sizeof buf, "' (U+%04X)", cp);
            fail("SyntaxError", "invalid character '" + text + buf, line, column + 1);
        } else {
            fail("SyntaxError", "invalid syntax", line, column + 1);
        }
        return;
    }
    // A number glued to a name or number is a malformed literal ("1_", "0x", "0777").
    if (prevType_ == L::NUMBER && prevStop_ + 1 == token.getStartIndex() &&
        (type == L::NAME || type == L::NUMBER || type == L::UNDERSCORE)) {
        const std::string text = token.getText();
        if (type == L::NUMBER && !prevText_.empty() &&
            prevText_.find_first_not_of('0') == std::string::npos &&
            text.find_first_not_of("0123456789_") == std::string::npos) {
            fail("SyntaxError",
                 "leading zeros in decimal integer literals are not permitted; use an 0o prefix "
                 "for octal integers",
                 prevLine_, prevColumn_ + 1);
            return;
        }
        std::string kind = "decimal";
        const char lead = text.empty() ? '_' : static_cast<char>(text[0] | 0x20);
        if (prevText_ == "0")
            kind = lead == 'x'   ? "hexadecimal"
                   : lead == 'o' ? "octal"
                   : lead == 'b' ? "binary"
                                 : "decimal";
        // CPython points at the last character its number scanner took: '_' and a base
        // prefix are taken, an exponent 'e' sends it back to the number's start, any other
        // letter is not taken.
        size_t at = column + 1;
        if (kind == "decimal" && lead == 'e')
            at = prevColumn_ + 1;
        else if (kind == "decimal" && text[0] != '_')
            at = column;
        fail("SyntaxError", "invalid " + kind + " literal", line, at);
    }
}

}  // namespace assay::pyparse
