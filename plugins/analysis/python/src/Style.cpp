// style: a subset of PEP 8, each check named after the pycodestyle/pep8-naming code it
// mirrors (see docs/analysis.md for the list and the differences).
#include <cctype>

#include "Checks.h"
#include "Walk.h"
#include "antlr4-runtime.h"
#include "assay/pyparse/Tree.h"

namespace assay::analysis {

const std::vector<Rule>& styleRules() {
    static const std::vector<Rule> rules{
        {"style/line-too-long", "Line longer than the limit (E501)"},
        {"style/indentation", "Indentation is not a multiple of four spaces (E111)"},
        {"style/tab-indentation", "Indentation uses tabs (W191)"},
        {"style/operator-spacing",
         "Missing whitespace around an assignment or comparison operator (E225)"},
        {"style/comma-spacing",
         "Missing whitespace after, or whitespace before, a comma (E231, E203)"},
        {"style/blank-lines", "Wrong number of blank lines before a definition (E301, E302)"},
        {"style/naming", "Name does not follow PEP 8 naming conventions (N801, N802, N803, N806)"},
        {"style/import-position", "Module-level import not at the top of the file (E402)"},
        {"style/compare-singleton", "Comparison to None, True or False with == or != (E711, E712)"},
    };
    return rules;
}

namespace {

using pyparse::PyLexer;
using pyparse::PyParser;

size_t codePoints(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

bool isSnakeCase(const std::string& name) {
    for (char c : name) {
        if (std::isupper(static_cast<unsigned char>(c))) return false;
    }
    return true;
}

bool isCapWords(const std::string& name) {
    size_t i = name.find_first_not_of('_');
    if (i == std::string::npos) return true;
    if (!std::isupper(static_cast<unsigned char>(name[i]))) return false;
    return name.find('_', i) == std::string::npos;
}

std::string trimmed(const std::string& s) {
    const auto a = s.find_first_not_of(" \t\f");
    if (a == std::string::npos) return "";
    const auto b = s.find_last_not_of(" \t\f\r");
    return s.substr(a, b - a + 1);
}

void lineChecks(const SourceFile& f, const Options& o, std::vector<Finding>& out) {
    for (size_t i = 0; i < f.lines.size(); ++i) {
        const size_t len = codePoints(f.lines[i]);
        if (static_cast<int>(len) > o.maxLineLength) {
            out.push_back(
                {"style/line-too-long", "warning",
                 "This line is " + std::to_string(len) +
                     " characters long; PEP 8 asks for at most " + std::to_string(o.maxLineLength) +
                     ". Break it inside parentheses, or give a long expression a name first.",
                 f.path, static_cast<int>(i) + 1, o.maxLineLength + 1});
        }
    }
}

// Checks that look at tokens: indentation of logical lines, spacing, comparisons.
void tokenChecks(const SourceFile& f, std::vector<Finding>& out) {
    int depth = 0;
    int lambdaDepth = -1;  // bracket depth of a lambda whose parameters are being read
    const auto& t = f.tokens;
    for (size_t i = 0; i < t.size(); ++i) {
        const size_t type = t[i]->getType();
        const std::string text = t[i]->getText();
        if (type == PyLexer::LPAR || type == PyLexer::LSQB || type == PyLexer::LBRACE) ++depth;
        if (type == PyLexer::RPAR || type == PyLexer::RSQB || type == PyLexer::RBRACE)
            depth = std::max(0, depth - 1);
        const bool lineStart = i == 0 || t[i - 1]->getType() == PyLexer::NEWLINE ||
                               t[i - 1]->getType() == PyLexer::INDENT ||
                               t[i - 1]->getType() == PyLexer::DEDENT;
        if (lineStart && type != PyLexer::NEWLINE && type != PyLexer::INDENT &&
            type != PyLexer::DEDENT) {
            const int line = lineOf(t[i]);
            const std::string& l = f.lines[static_cast<size_t>(line - 1)];
            const std::string indent = l.substr(0, l.find_first_not_of(" \t\f"));
            if (indent.find('\t') != std::string::npos) {
                out.push_back({"style/tab-indentation", "warning",
                               "This line is indented with a tab. Use four spaces per level (most "
                               "editors can "
                               "insert spaces when you press Tab).",
                               f.path, line, 1});
            } else if (indent.size() % 4 != 0) {
                out.push_back({"style/indentation", "warning",
                               "This line is indented by " + std::to_string(indent.size()) +
                                   " spaces; use a multiple of four (four spaces per level).",
                               f.path, line, 1});
            }
        }
        if (i == 0 || i + 1 >= t.size()) continue;
        const auto* prev = t[i - 1];
        const auto* next = t[i + 1];
        const bool spaceBefore =
            prev->getStopIndex() + 1 < t[i]->getStartIndex() || lineOf(prev) != lineOf(t[i]);
        const bool spaceAfter =
            t[i]->getStopIndex() + 1 < next->getStartIndex() || lineOf(next) != lineOf(t[i]);
        if (type == PyLexer::COMMA) {
            const size_t nt = next->getType();
            const bool closing =
                nt == PyLexer::RPAR || nt == PyLexer::RSQB || nt == PyLexer::RBRACE;
            if (!spaceAfter && !closing && nt != PyLexer::NEWLINE) {
                out.push_back({"style/comma-spacing", "note",
                               "Put a space after this comma, as in 'f(a, b)'.", f.path,
                               lineOf(t[i]), columnOf(t[i])});
            }
            if (spaceBefore && lineOf(prev) == lineOf(t[i]) && prev->getType() != PyLexer::LPAR) {
                out.push_back({"style/comma-spacing", "note", "Remove the space before this comma.",
                               f.path, lineOf(t[i]), columnOf(t[i])});
            }
            continue;
        }
        static const std::set<std::string> spaced{
            "==", "!=",  "<=", ">=", "<",  ">",   "+=",  "-=", "*=", "/=", "//=",
            "%=", "**=", "&=", "|=", "^=", ">>=", "<<=", "@=", ":=", "->"};
        if (type == PyLexer::LAMBDA) lambdaDepth = depth;
        if (type == PyLexer::COLON && depth == lambdaDepth) lambdaDepth = -1;
        // '=' of keyword arguments and parameter defaults (also a lambda's) takes no spaces.
        const bool assign = type == PyLexer::EQUAL && depth == 0 && lambdaDepth < 0;
        if ((assign || spaced.count(text)) && (!spaceBefore || !spaceAfter)) {
            out.push_back(
                {"style/operator-spacing", "note",
                 "Put one space on each side of '" + text + "', as in 'x " + text + " y'.", f.path,
                 lineOf(t[i]), columnOf(t[i])});
        }
        if (type == PyLexer::EQEQUAL || type == PyLexer::NOTEQUAL) {
            for (const auto* side : {prev, next}) {
                const size_t st = side->getType();
                if (st == PyLexer::NONE) {
                    out.push_back(
                        {"style/compare-singleton", "warning",
                         "Compare with None using 'is' or 'is not' (write 'x is None', not 'x " +
                             text +
                             " None'): None is a single object, and '==' can be redefined by "
                             "classes.",
                         f.path, lineOf(t[i]), columnOf(t[i])});
                } else if (st == PyLexer::TRUE || st == PyLexer::FALSE) {
                    out.push_back({"style/compare-singleton", "warning",
                                   "Do not compare with " + side->getText() + " using '" + text +
                                       "'; test the value itself ('if done:' or 'if not done:').",
                                   f.path, lineOf(t[i]), columnOf(t[i])});
                }
            }
        }
    }
}

bool isDecoratorOrOpener(const std::string& s) {
    return !s.empty() && (s[0] == '@' || s.back() == ':');
}

void blankLineChecks(const SourceFile& f, std::vector<Finding>& out) {
    const auto& t = f.tokens;
    for (size_t i = 0; i < t.size(); ++i) {
        const size_t type = t[i]->getType();
        if (type != PyLexer::DEF && type != PyLexer::CLASS && type != PyLexer::AT &&
            type != PyLexer::ASYNC)
            continue;
        const bool lineStart = i == 0 || t[i - 1]->getType() == PyLexer::NEWLINE ||
                               t[i - 1]->getType() == PyLexer::INDENT ||
                               t[i - 1]->getType() == PyLexer::DEDENT;
        if (!lineStart) continue;
        const int line = lineOf(t[i]);
        int j = line - 2;  // index of the line above
        while (j >= 0 && trimmed(f.lines[static_cast<size_t>(j)]).rfind('#', 0) == 0)
            --j;
        int blanks = 0;
        while (j >= 0 && trimmed(f.lines[static_cast<size_t>(j)]).empty()) {
            ++blanks;
            --j;
        }
        if (j < 0) continue;  // start of the file
        const std::string above = trimmed(f.lines[static_cast<size_t>(j)]);
        if (isDecoratorOrOpener(above) && blanks == 0) continue;
        const bool topLevel = columnOf(t[i]) == 1;
        const std::string what = type == PyLexer::CLASS ? "class" : "function";
        if (topLevel && blanks < 2) {
            out.push_back({"style/blank-lines", "note",
                           "Leave two blank lines before a top-level " + what +
                               " definition (found " + std::to_string(blanks) + ").",
                           f.path, line, 1});
        } else if (!topLevel && blanks == 0) {
            out.push_back({"style/blank-lines", "note",
                           "Leave one blank line before this " + what +
                               " definition to separate it from the code above.",
                           f.path, line, columnOf(t[i])});
        }
    }
}

void namingChecks(const SourceFile& f, std::vector<Finding>& out) {
    forEachClass(*f.model, [&](const pyparse::Class& c) {
        if (!isCapWords(c.name)) {
            out.push_back({"style/naming", "note",
                           "Class names use CapWords: rename '" + c.name + "' to something like '" +
                               std::string(1, static_cast<char>(std::toupper(
                                                  static_cast<unsigned char>(c.name[0])))) +
                               c.name.substr(1) + "' without underscores.",
                           f.path, c.at.line, c.at.column});
        }
    });
    forEachFunction(*f.model, [&](const pyparse::Function& fn) {
        const bool testHook = fn.name.rfind("setUp", 0) == 0 || fn.name.rfind("tearDown", 0) == 0;
        if (!isSnakeCase(fn.name) && !testHook) {
            out.push_back(
                {"style/naming", "note",
                 "Function names use lower_case_with_underscores: rename '" + fn.name + "'.",
                 f.path, fn.at.line, fn.at.column});
        }
        for (const auto& p : fn.parameters) {
            if (!isSnakeCase(p.name)) {
                out.push_back(
                    {"style/naming", "note",
                     "Parameter names use lower_case_with_underscores: rename '" + p.name + "'.",
                     f.path, p.at.line, p.at.column});
            }
        }
        if (!fn.scope) return;
        std::set<std::string> seen;
        for (const auto& b : fn.scope->bindings) {
            if (b.kind != pyparse::BindingKind::Assignment || isSnakeCase(b.name) ||
                !seen.insert(b.name).second)
                continue;
            out.push_back({"style/naming", "note",
                           "Variables inside a function use lower_case_with_underscores: rename '" +
                               b.name + "'.",
                           f.path, b.at.line, b.at.column});
        }
    });
}

bool isDocstringOrDunder(PyParser::Simple_stmtContext* s, bool first) {
    auto* e = s->expr_stmt();
    if (!e) return false;
    const std::string text = e->getText();
    if (first && !text.empty() &&
        (text[0] == '"' || text[0] == '\'' || text.find_first_of("\"'") < 3) &&
        e->children.size() == 1)
        return true;
    return text.rfind("__", 0) == 0;
}

void importPosition(const SourceFile& f, std::vector<Finding>& out) {
    auto* root = pyparse::fileInput(*f.parse);
    if (!root || !f.parse->ok()) return;
    bool seenCode = false;
    bool first = true;
    for (auto* stmt : root->stmt()) {
        if (auto* c = stmt->compound_stmt()) {
            if (!c->if_stmt() && !c->try_stmt()) seenCode = true;
            first = false;
            continue;
        }
        for (auto* s : stmt->simple_stmts()->simple_stmt()) {
            if (s->import_stmt()) {
                if (seenCode) {
                    out.push_back({"style/import-position", "warning",
                                   "Put imports at the top of the file, after the module docstring "
                                   "and before "
                                   "other code, so readers see the dependencies first.",
                                   f.path, static_cast<int>(s->getStart()->getLine()),
                                   static_cast<int>(s->getStart()->getCharPositionInLine()) + 1});
                }
            } else if (!isDocstringOrDunder(s, first)) {
                seenCode = true;
            }
            first = false;
        }
    }
}

}  // namespace

void runStyle(const std::vector<SourceFile>& files, const Options& options,
              std::vector<Finding>& out) {
    for (const auto& f : files) {
        lineChecks(f, options, out);
        tokenChecks(f, out);
        blankLineChecks(f, out);
        namingChecks(f, out);
        importPosition(f, out);
    }
}

}  // namespace assay::analysis
