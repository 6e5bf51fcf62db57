#include "assay/core/bundle/manifest.h"

#include <Poco/JSON/Array.h>

#include <cmath>
#include <regex>
#include <set>

#include "assay/core/error.h"

namespace assay::bundle {
namespace {

ApiError invalid(const std::string& msg) {
    return ApiError::badRequest("invalid_manifest", msg);
}

std::vector<std::string> stringList(const json::Object& o, const std::string& key,
                                    const std::string& where = "") {
    std::vector<std::string> out;
    auto arr = json::optArray(o, key, where);
    if (!arr) return out;
    for (size_t i = 0; i < arr->size(); ++i) {
        auto v = arr->get(static_cast<unsigned>(i));
        if (!v.isString())
            throw ApiError::badRequest("invalid_field", "'" + where + key + "' must list strings");
        out.push_back(v.extract<std::string>());
    }
    return out;
}

const std::set<std::string>& compareModes() {
    static const std::set<std::string> modes = {
        "exact", "trailing_whitespace", "whitespace", "case_insensitive", "numeric",
        "regex", "unordered_lines"};
    return modes;
}

TestSpec parseTest(const json::Object& t, size_t index) {
    const std::string where = "tests[" + std::to_string(index) + "].";
    json::rejectUnknown(
        t,
        {"name", "type", "stdin", "stdin_file", "expected", "expected_file", "compare", "tolerance",
         "file", "weight", "hidden", "feedback", "requires"},
        where);
    TestSpec s;
    s.name = json::requireString(t, "name", where);
    if (s.name.empty() || s.name.size() > 120)
        throw invalid("'" + where + "name' must have 1 to 120 characters");
    const std::string type = json::optString(t, "type", where).value_or("io");
    if (type == "io")
        s.type = TestType::Io;
    else if (type == "unittest")
        s.type = TestType::Unittest;
    else
        throw invalid("'" + where + "type' must be \"io\" or \"unittest\"");
    s.stdinText = json::optString(t, "stdin", where);
    s.stdinFile = json::optString(t, "stdin_file", where);
    s.expectedText = json::optString(t, "expected", where);
    s.expectedFile = json::optString(t, "expected_file", where);
    s.compare = json::optString(t, "compare", where).value_or("trailing_whitespace");
    s.file = json::optString(t, "file", where).value_or("");
    s.weight = json::optNumber(t, "weight", where).value_or(1);
    s.hidden = json::optBool(t, "hidden", where).value_or(false);
    s.feedback = json::optString(t, "feedback", where).value_or("");
    if (!std::isfinite(s.weight) || s.weight < 0 || s.weight > 1e6)
        throw invalid("'" + where + "weight' must be between 0 and 1000000");
    if (s.type == TestType::Io) {
        if (s.stdinText && s.stdinFile)
            throw invalid("'" + where + "' has both stdin and stdin_file");
        if (!s.expectedText == !s.expectedFile)
            throw invalid("'" + where + "' needs exactly one of expected and expected_file");
        if (!compareModes().count(s.compare))
            throw invalid("'" + where + "compare' is not a known comparison mode");
        if (!s.file.empty()) throw invalid("'" + where + "file' is only for unittest tests");
        if (s.compare == "regex") {
            if (!s.expectedText)
                throw invalid("'" + where + "' regex comparison needs inline 'expected'");
            try {
                std::regex re(*s.expectedText);
            } catch (const std::regex_error&) {
                throw invalid("'" + where + "expected' is not a valid regular expression");
            }
        }
        if (auto tol = json::optObject(t, "tolerance", where)) {
            json::rejectUnknown(tol, {"abs", "rel"}, where + "tolerance.");
            s.absTolerance = json::optNumber(tol, "abs", where + "tolerance.").value_or(0);
            s.relTolerance = json::optNumber(tol, "rel", where + "tolerance.").value_or(0);
            if (s.absTolerance < 0 || s.relTolerance < 0)
                throw invalid("'" + where + "tolerance' must not be negative");
        }
    } else {
        if (s.file.empty()) throw invalid("'" + where + "file' names the unittest or pytest file");
        if (s.stdinText || s.stdinFile || s.expectedText || s.expectedFile)
            throw invalid("'" + where + "' a unittest test takes no stdin or expected output");
    }
    if (t->has("requires")) {
        auto v = t->get("requires");
        if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
            s.requires_ = stringList(t, "requires", where);
        } else if (auto r = json::optObject(t, "requires", where)) {
            json::rejectUnknown(r, {"all", "any"}, where + "requires.");
            if (r->has("all") == r->has("any"))
                throw invalid("'" + where + "requires' takes exactly one of all, any");
            s.requiresAny = r->has("any");
            s.requires_ = stringList(r, s.requiresAny ? "any" : "all", where + "requires.");
        }
    }
    return s;
}

}  // namespace

bool isSafePath(const std::string& p) {
    if (p.empty() || p.size() > 255 || p[0] == '/' || p.back() == '/') return false;
    if (p.find('\\') != std::string::npos || p.find(':') != std::string::npos) return false;
    for (unsigned char c : p)
        if (c < 0x20 || c == 0x7f) return false;
    size_t start = 0;
    while (start <= p.size()) {
        size_t slash = p.find('/', start);
        if (slash == std::string::npos) slash = p.size();
        const std::string seg = p.substr(start, slash - start);
        if (seg.empty() || seg == "." || seg == "..") return false;
        start = slash + 1;
    }
    return true;
}

Manifest parseManifest(std::string_view text) {
    auto o = json::parseObject(text);
    json::rejectUnknown(o, {"format", "id", "title", "statement", "language", "entry", "starter",
                            "solution", "tests", "limits", "pace", "skills", "max_score"});
    Manifest m;
    m.format = static_cast<int>(json::optInt(o, "format").value_or(1));
    if (m.format != 1)
        throw invalid("unsupported manifest format " + std::to_string(m.format) + " (expected 1)");
    m.id = json::requireString(o, "id");
    static const std::regex slug("[a-z0-9][a-z0-9_-]{0,63}");
    if (!std::regex_match(m.id, slug))
        throw invalid(
            "'id' must be 1-64 lower-case letters, digits, '-' or '_', starting with a letter or "
            "digit");
    m.title = json::requireString(o, "title");
    if (m.title.empty() || m.title.size() > 200)
        throw invalid("'title' must have 1 to 200 characters");
    m.statement = json::requireString(o, "statement");
    m.language = json::optString(o, "language").value_or("python3");
    if (m.language != "python3") throw invalid("'language' must be \"python3\"");
    m.entry = json::optString(o, "entry").value_or("main.py");
    if (!isSafePath(m.entry)) throw invalid("'entry' must be a relative file name");
    m.starter = stringList(o, "starter");
    m.solution = stringList(o, "solution");
    m.skills = stringList(o, "skills");
    m.maxScore = json::optNumber(o, "max_score").value_or(100);
    if (!std::isfinite(m.maxScore) || m.maxScore <= 0 || m.maxScore > 1e6)
        throw invalid("'max_score' must be a positive number up to 1000000");

    auto tests = json::optArray(o, "tests");
    if (!tests || tests->size() == 0) throw invalid("'tests' must list at least one test");
    if (tests->size() > 500) throw invalid("'tests' may list at most 500 tests");
    std::set<std::string> names;
    for (size_t i = 0; i < tests->size(); ++i) {
        auto t = tests->getObject(static_cast<unsigned>(i));
        if (!t)
            throw ApiError::badRequest("invalid_field",
                                       "'tests[" + std::to_string(i) + "]' must be an object");
        m.tests.push_back(parseTest(t, i));
        if (!names.insert(m.tests.back().name).second)
            throw invalid("two tests are named '" + m.tests.back().name + "'");
    }
    // A test may only depend on tests listed before it, which also rules out cycles.
    std::set<std::string> earlier;
    for (const auto& t : m.tests) {
        for (const auto& r : t.requires_)
            if (!earlier.count(r))
                throw invalid("test '" + t.name + "' requires '" + r +
                              "', which is not listed before it");
        earlier.insert(t.name);
    }

    if (auto l = json::optObject(o, "limits")) {
        json::rejectUnknown(l, {"time_s", "wall_s", "memory_mb", "output_kb"}, "limits.");
        m.limits.cpuSeconds = json::optNumber(l, "time_s", "limits.").value_or(m.limits.cpuSeconds);
        m.limits.wallSeconds = json::optNumber(l, "wall_s", "limits.")
                                   .value_or(std::max(10.0, m.limits.cpuSeconds * 3));
        m.limits.memoryMb = json::optInt(l, "memory_mb", "limits.").value_or(m.limits.memoryMb);
        m.limits.outputKb = json::optInt(l, "output_kb", "limits.").value_or(m.limits.outputKb);
        if (!(m.limits.cpuSeconds > 0 && m.limits.cpuSeconds <= 60))
            throw invalid("'limits.time_s' must be in (0, 60]");
        if (!(m.limits.wallSeconds > 0 && m.limits.wallSeconds <= 300))
            throw invalid("'limits.wall_s' must be in (0, 300]");
        if (m.limits.memoryMb < 16 || m.limits.memoryMb > 4096)
            throw invalid("'limits.memory_mb' must be 16 to 4096");
        if (m.limits.outputKb < 1 || m.limits.outputKb > 16384)
            throw invalid("'limits.output_kb' must be 1 to 16384");
    }
    if (auto p = json::optObject(o, "pace")) {
        json::rejectUnknown(p, {"seconds"}, "pace.");
        auto arr = json::optArray(p, "seconds", "pace.");
        if (arr) {
            if (arr->size() > 1000) throw invalid("'pace.seconds' may list at most 1000 values");
            for (size_t i = 0; i < arr->size(); ++i) {
                auto v = arr->get(static_cast<unsigned>(i));
                if (!v.isInteger() || v.convert<int64_t>() < 0 || v.convert<int64_t>() > 86400)
                    throw invalid("'pace.seconds' must list whole seconds from 0 to 86400");
                m.pace.push_back(v.convert<int64_t>());
            }
        }
    }
    for (const auto& p : m.starter)
        if (!isSafePath(p))
            throw ApiError::badRequest("unsafe_path", "unsafe path in 'starter': " + p);
    for (const auto& p : m.solution)
        if (!isSafePath(p))
            throw ApiError::badRequest("unsafe_path", "unsafe path in 'solution': " + p);
    if (!isSafePath(m.statement))
        throw ApiError::badRequest("unsafe_path", "unsafe path in 'statement'");
    return m;
}

json::Object toJson(const Manifest& m) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
    o->set("format", m.format);
    o->set("id", m.id);
    o->set("title", m.title);
    o->set("statement", m.statement);
    o->set("language", m.language);
    o->set("entry", m.entry);
    auto list = [](const std::vector<std::string>& v) {
        Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
        for (const auto& s : v)
            a->add(s);
        return a;
    };
    o->set("starter", list(m.starter));
    o->set("solution", list(m.solution));
    o->set("skills", list(m.skills));
    o->set("max_score", m.maxScore);
    Poco::JSON::Array::Ptr tests = new Poco::JSON::Array;
    for (const auto& t : m.tests) {
        Poco::JSON::Object::Ptr j = new Poco::JSON::Object;
        j->set("name", t.name);
        j->set("type", t.type == TestType::Io ? "io" : "unittest");
        if (t.stdinText) j->set("stdin", *t.stdinText);
        if (t.stdinFile) j->set("stdin_file", *t.stdinFile);
        if (t.expectedText) j->set("expected", *t.expectedText);
        if (t.expectedFile) j->set("expected_file", *t.expectedFile);
        if (t.type == TestType::Io) {
            j->set("compare", t.compare);
            if (t.absTolerance > 0 || t.relTolerance > 0) {
                Poco::JSON::Object::Ptr tol = new Poco::JSON::Object;
                tol->set("abs", t.absTolerance);
                tol->set("rel", t.relTolerance);
                j->set("tolerance", tol);
            }
        } else {
            j->set("file", t.file);
        }
        j->set("weight", t.weight);
        j->set("hidden", t.hidden);
        if (!t.feedback.empty()) j->set("feedback", t.feedback);
        if (!t.requires_.empty()) {
            Poco::JSON::Object::Ptr r = new Poco::JSON::Object;
            r->set(t.requiresAny ? "any" : "all", list(t.requires_));
            j->set("requires", r);
        }
        tests->add(j);
    }
    o->set("tests", tests);
    Poco::JSON::Object::Ptr l = new Poco::JSON::Object;
    l->set("time_s", m.limits.cpuSeconds);
    l->set("wall_s", m.limits.wallSeconds);
    l->set("memory_mb", m.limits.memoryMb);
    l->set("output_kb", m.limits.outputKb);
    o->set("limits", l);
    Poco::JSON::Object::Ptr p = new Poco::JSON::Object;
    Poco::JSON::Array::Ptr secs = new Poco::JSON::Array;
    for (auto s : m.pace)
        secs->add(s);
    p->set("seconds", secs);
    o->set("pace", p);
    return o;
}

void checkFiles(const Manifest& m, const FileMap& files) {
    auto need = [&](const std::string& path, const std::string& what) {
        if (!files.count(path))
            throw ApiError::badRequest("missing_file",
                                       what + " '" + path + "' is not in the bundle");
    };
    need(m.statement, "the statement");
    for (const auto& p : m.starter)
        need(p, "starter file");
    for (const auto& p : m.solution)
        need(p, "solution file");
    for (const auto& t : m.tests) {
        if (t.stdinFile) need(*t.stdinFile, "stdin file of test '" + t.name + "'");
        if (t.expectedFile) need(*t.expectedFile, "expected-output file of test '" + t.name + "'");
        if (!t.file.empty()) need(t.file, "test file of '" + t.name + "'");
    }
}

}  // namespace assay::bundle
