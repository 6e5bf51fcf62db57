// Preparing files for the analyzers, token helpers, options and the analyzer table.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <stdexcept>

#include "Analysis.h"
#include "Checks.h"
#include "Options.h"
#include "antlr4-runtime.h"

namespace assay::analysis {

SourceFile prepare(std::string path, const pyparse::ParseResult& parse,
                   const pyparse::Module& model) {
    SourceFile f;
    f.path = std::move(path);
    f.parse = &parse;
    f.model = &model;
    if (auto* ts = parse.tokens()) {
        for (auto* t : ts->getTokens()) {
            if (t->getType() == antlr4::Token::EOF) break;
            if (t->getChannel() == antlr4::Token::DEFAULT_CHANNEL) f.tokens.push_back(t);
        }
    }
    const std::string& text = parse.text();
    size_t start = 0;
    while (start <= text.size()) {
        const size_t nl = text.find('\n', start);
        if (nl == std::string::npos) {
            if (start < text.size()) f.lines.push_back(text.substr(start));
            break;
        }
        f.lines.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return f;
}

int lineOf(const antlr4::Token* t) {
    return static_cast<int>(t->getLine());
}
int columnOf(const antlr4::Token* t) {
    return static_cast<int>(t->getCharPositionInLine()) + 1;
}
bool isText(const antlr4::Token* t, const char* text) {
    return t->getText() == text;
}

const std::vector<AnalyzerSpec>& analyzers() {
    static const std::vector<AnalyzerSpec> table{
        {"metrics", &metricsRules, &runMetrics},
        {"style", &styleRules, &runStyle},
        {"correctness", &correctnessRules, &runCorrectness},
        {"security", &securityRules, &runSecurity},
        {"oop", &oopRules, &runOop},
    };
    return table;
}

namespace {

int intOption(const Poco::JSON::Object::Ptr& o, const std::string& key, int fallback) {
    if (!o->has(key)) return fallback;
    try {
        return o->getValue<int>(key);
    } catch (const Poco::Exception&) {
        throw std::invalid_argument("option '" + key + "' must be an integer");
    }
}

std::string stringOf(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    return o->has(key) ? o->getValue<std::string>(key) : std::string();
}

}  // namespace

Options parseOptions(const std::string& json) {
    Options opts;
    if (json.empty()) return opts;
    Poco::JSON::Object::Ptr o;
    try {
        o = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception& e) {
        throw std::invalid_argument("options are not a JSON object: " + e.displayText());
    }
    if (!o) return opts;
    opts.maxLineLength = intOption(o, "max_line_length", opts.maxLineLength);
    opts.maxComplexity = intOption(o, "max_complexity", opts.maxComplexity);
    opts.maxNesting = intOption(o, "max_nesting", opts.maxNesting);
    opts.maxFunctionLength = intOption(o, "max_function_length", opts.maxFunctionLength);
    if (auto a = o->getArray("analyzers")) {
        for (size_t i = 0; i < a->size(); ++i)
            opts.analyzers.insert(a->getElement<std::string>(i));
    }
    if (auto r = o->getArray("rubric")) {
        for (size_t i = 0; i < r->size(); ++i) {
            auto item = r->getObject(i);
            if (!item) throw std::invalid_argument("rubric items must be objects");
            RubricItem ri;
            ri.check = stringOf(item, "check");
            ri.id = item->has("id") ? stringOf(item, "id") : ri.check + "-" + std::to_string(i + 1);
            ri.className = stringOf(item, "class");
            ri.base = stringOf(item, "base");
            ri.method = stringOf(item, "method");
            if (item->has("points")) ri.points = item->getValue<double>("points");
            opts.rubric.push_back(std::move(ri));
        }
    }
    return opts;
}

}  // namespace assay::analysis
