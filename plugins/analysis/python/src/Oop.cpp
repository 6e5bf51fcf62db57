// oop: the per-assignment OOP rubric. Each item of options.rubric becomes one result of
// kind "pass" or "fail" with properties {rubricItem, passed, points} for the grader.
#include <map>
#include <set>
#include <sstream>

#include "Checks.h"
#include "Walk.h"
#include "antlr4-runtime.h"
#include "assay/pyparse/Tree.h"

namespace assay::analysis {

const std::vector<Rule>& oopRules() {
    static const std::vector<Rule> rules{
        {"oop/class_exists", "The assignment's class is defined"},
        {"oop/inherits", "A class inherits from the required base"},
        {"oop/abstract",
         "An abstract base class with abstract methods that every subclass implements"},
        {"oop/overrides", "A subclass overrides the required method"},
        {"oop/polymorphic", "A method is called on objects of several subclasses"},
        {"oop/encapsulation", "Instance attributes are private and exposed through properties"},
        {"oop/no_module_state", "No mutable state at module level"},
        {"oop/unknown_check", "A rubric item names a check this analyzer does not know"},
    };
    return rules;
}

namespace {

using pyparse::Class;
using pyparse::PyLexer;

std::string lastPart(const std::string& dotted) {
    const auto dot = dotted.rfind('.');
    return dot == std::string::npos ? dotted : dotted.substr(dot + 1);
}

struct Located {
    const Class* cls;
    const SourceFile* file;
};

class Rubric {
  public:
    explicit Rubric(const std::vector<SourceFile>& files) : files_(files) {
        for (const auto& f : files)
            forEachClass(*f.model, [&](const Class& c) { classes_[c.name] = {&c, &f}; });
    }

    void evaluate(const RubricItem& item, std::vector<Finding>& out) const {
        std::string why;
        const Located* at = find(item.className.empty() ? item.base : item.className);
        bool passed = false;
        if (item.check == "class_exists") {
            passed = at != nullptr;
            why = passed ? "Class '" + item.className + "' is defined."
                         : "Define a class named '" + item.className +
                               "' (check the spelling and capitals).";
        } else if (item.check == "inherits") {
            passed = at && inheritsFrom(*at->cls, item.base, 0);
            why = passed ? "'" + item.className + "' inherits from '" + item.base + "'."
                         : "Make '" + item.className + "' a subclass of '" + item.base +
                               "': class " + item.className + "(" + item.base + "): ...";
        } else if (item.check == "abstract") {
            passed = abstract(item.className, why);
        } else if (item.check == "overrides") {
            passed = at && defines(*at->cls, item.method) && !at->cls->bases.empty();
            why = passed ? "'" + item.className + "' overrides '" + item.method + "'."
                         : "Give '" + item.className + "' its own '" + item.method +
                               "' method, replacing the one it inherits.";
        } else if (item.check == "polymorphic") {
            passed = polymorphic(item.base, item.method, why);
        } else if (item.check == "encapsulation") {
            passed = encapsulated(item.className, why);
        } else if (item.check == "no_module_state") {
            passed = noModuleState(why);
        } else {
            why = "The rubric asks for an unknown check '" + item.check + "'; ask your instructor.";
        }
        Finding f{
            "oop/" + (item.check.empty() ? std::string("unknown_check") : item.check),
            passed ? "none" : "error",
            (passed ? "Passed: " : "Not yet: ") + why,
            at ? at->file->path : (files_.empty() ? std::string("main.py") : files_.front().path),
            at ? at->cls->at.line : 1,
            at ? at->cls->at.column : 1};
        if (f.ruleId == "oop/" + item.check && !known(item.check)) f.ruleId = "oop/unknown_check";
        f.kind = passed ? "pass" : "fail";
        std::ostringstream props;
        props << "{\"rubricItem\":\"" << escape(item.id)
              << "\",\"passed\":" << (passed ? "true" : "false")
              << ",\"points\":" << (passed ? item.points : 0) << ",\"maxPoints\":" << item.points
              << "}";
        f.propertiesJson = props.str();
        out.push_back(std::move(f));
    }

  private:
    static bool known(const std::string& check) {
        for (const auto& r : oopRules())
            if (r.id == "oop/" + check) return true;
        return false;
    }

    static std::string escape(const std::string& s) {
        std::string o;
        for (char c : s) {
            if (c == '"' || c == '\\') o += '\\';
            if (static_cast<unsigned char>(c) >= 0x20) o += c;
        }
        return o;
    }

    const Located* find(const std::string& name) const {
        const auto it = classes_.find(name);
        return it == classes_.end() ? nullptr : &it->second;
    }

    bool inheritsFrom(const Class& c, const std::string& base, int depth) const {
        if (depth > 20) return false;
        for (const auto& b : c.bases) {
            const std::string n = lastPart(b);
            if (n == base) return true;
            if (const Located* parent = find(n);
                parent && inheritsFrom(*parent->cls, base, depth + 1))
                return true;
        }
        return false;
    }

    static bool defines(const Class& c, const std::string& method) {
        for (const auto& m : c.methods)
            if (m->name == method) return true;
        return false;
    }

    static bool isAbstractMethod(const pyparse::Function& m) {
        return m.decoratedAs("abstractmethod") || m.decoratedAs("abc.abstractmethod");
    }

    // Methods of `c` or its ancestors in these files.
    bool implements(const Class& c, const std::string& method, const std::string& stopAt,
                    int depth = 0) const {
        if (depth > 20 || c.name == stopAt) return false;
        for (const auto& m : c.methods)
            if (m->name == method && !isAbstractMethod(*m)) return true;
        for (const auto& b : c.bases) {
            if (const Located* p = find(lastPart(b));
                p && implements(*p->cls, method, stopAt, depth + 1))
                return true;
        }
        return false;
    }

    bool abstract(const std::string& name, std::string& why) const {
        const Located* at = find(name);
        if (!at) {
            why = "Define the abstract base class '" + name + "'.";
            return false;
        }
        const Class& c = *at->cls;
        bool abc = false;
        for (const auto& b : c.bases)
            abc = abc || lastPart(b) == "ABC";
        for (const auto& [k, v] : c.keywords)
            abc = abc || (k == "metaclass" && lastPart(v) == "ABCMeta");
        std::vector<std::string> abstractMethods;
        for (const auto& m : c.methods)
            if (isAbstractMethod(*m)) abstractMethods.push_back(m->name);
        if (!abc || abstractMethods.empty()) {
            why = "Make '" + name +
                  "' abstract: inherit from abc.ABC and mark the methods every subclass must "
                  "provide with @abstractmethod.";
            return false;
        }
        int subclasses = 0;
        for (const auto& [n, sub] : classes_) {
            if (n == name || !inheritsFrom(*sub.cls, name, 0)) continue;
            ++subclasses;
            for (const auto& m : abstractMethods) {
                if (!implements(*sub.cls, m, name)) {
                    why = "Subclass '" + n + "' does not implement the abstract method '" + m +
                          "' of '" + name + "', so it cannot be instantiated. Add 'def " + m +
                          "(self, ...)' to it.";
                    return false;
                }
            }
        }
        if (subclasses == 0) {
            why = "'" + name +
                  "' is abstract, but no class inherits from it yet. Add subclasses that implement "
                  "its abstract methods.";
            return false;
        }
        why = "'" + name + "' is an abstract base class and its " + std::to_string(subclasses) +
              " subclass(es) implement every abstract method.";
        return true;
    }

    bool polymorphic(const std::string& base, const std::string& method, std::string& why) const {
        std::set<std::string> implementers;
        for (const auto& [n, sub] : classes_) {
            if (n != base && inheritsFrom(*sub.cls, base, 0) && defines(*sub.cls, method))
                implementers.insert(n);
        }
        std::set<std::string> created;
        bool called = false;
        for (const auto& f : files_) {
            const auto& t = f.tokens;
            for (size_t i = 0; i + 1 < t.size(); ++i) {
                if (t[i + 1]->getType() != PyLexer::LPAR) continue;
                if (implementers.count(t[i]->getText()) &&
                    (i == 0 || t[i - 1]->getType() != PyLexer::CLASS))
                    created.insert(t[i]->getText());
                if (t[i]->getText() == method && i > 0 && t[i - 1]->getType() == PyLexer::DOT)
                    called = true;
            }
        }
        if (implementers.size() < 2) {
            why =
                "Give at least two subclasses of '" + base + "' their own '" + method + "' method.";
            return false;
        }
        if (created.size() < 2 || !called) {
            why = "Create objects of several subclasses of '" + base + "' and call '." + method +
                  "()' on each of them through the same code (for example in a loop over a list of "
                  "shapes).";
            return false;
        }
        why = "'" + method + "' is called on objects of " + std::to_string(created.size()) +
              " subclasses of '" + base + "'.";
        return true;
    }

    bool encapsulated(const std::string& name, std::string& why) const {
        const Located* at = find(name);
        if (!at) {
            why = "Define the class '" + name + "'.";
            return false;
        }
        std::vector<std::string> publicAttrs;
        int privateAttrs = 0;
        for (const auto& a : at->cls->attributes) {
            if (!a.onInstance) continue;
            if (a.name[0] == '_')
                ++privateAttrs;
            else
                publicAttrs.push_back(a.name);
        }
        int properties = 0;
        for (const auto& m : at->cls->methods)
            properties += m->decoratedAs("property");
        if (!publicAttrs.empty()) {
            why = "'" + name + "' exposes the attribute '" + publicAttrs.front() +
                  "' directly. Store it as '_" + publicAttrs.front() +
                  "' and give read access through a @property (add a setter that checks the value "
                  "if it may "
                  "change).";
            return false;
        }
        if (privateAttrs == 0 || properties == 0) {
            why = "Keep the state of '" + name +
                  "' in private attributes (self._name) and expose it through "
                  "@property methods.";
            return false;
        }
        why = "'" + name + "' keeps its state private and exposes it through " +
              std::to_string(properties) + " propert" + (properties == 1 ? "y." : "ies.");
        return true;
    }

    bool noModuleState(std::string& why) const {
        for (const auto& f : files_) {
            std::string problem;
            forEachScope(*f.model->scope, [&](const pyparse::Scope& s) {
                if (problem.empty() && !s.globals.empty())
                    problem = "Function '" + s.name + "' changes the module-level variable '" +
                              s.globals.front() + "' through 'global'.";
            });
            if (problem.empty()) problem = mutableAssignment(f);
            if (!problem.empty()) {
                why = problem +
                      " Module-level state is shared by everything and hard to test; keep it in an "
                      "object (an attribute of a class) or pass it as a parameter.";
                return false;
            }
        }
        why = "No mutable state at module level.";
        return true;
    }

    static std::string mutableAssignment(const SourceFile& f) {
        static const std::set<std::string> calls{"list",        "dict",  "set",
                                                 "defaultdict", "deque", "bytearray"};
        for (const auto& b : f.model->scope->bindings) {
            if (b.kind != pyparse::BindingKind::Assignment || b.name.rfind("__", 0) == 0) continue;
            const auto& t = f.tokens;
            for (size_t i = 0; i + 2 < t.size(); ++i) {
                if (lineOf(t[i]) != b.at.line || columnOf(t[i]) != b.at.column) continue;
                if (t[i + 1]->getType() != PyLexer::EQUAL) break;
                const auto* v = t[i + 2];
                const bool display =
                    v->getType() == PyLexer::LSQB || v->getType() == PyLexer::LBRACE;
                const bool call = calls.count(v->getText()) && i + 3 < t.size() &&
                                  t[i + 3]->getType() == PyLexer::LPAR;
                if (display || call)
                    return "'" + b.name + "' on line " + std::to_string(b.at.line) +
                           " is a mutable module-level " +
                           (v->getType() == PyLexer::LBRACE ? "dict or set." : "container.");
                break;
            }
        }
        return "";
    }

    const std::vector<SourceFile>& files_;
    std::map<std::string, Located> classes_;
};

}  // namespace

void runOop(const std::vector<SourceFile>& files, const Options& options,
            std::vector<Finding>& out) {
    if (options.rubric.empty()) return;
    Rubric rubric(files);
    for (const auto& item : options.rubric)
        rubric.evaluate(item, out);
}

}  // namespace assay::analysis
