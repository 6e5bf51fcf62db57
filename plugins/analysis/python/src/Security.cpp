// security: calls and literals that are dangerous in student code (bandit-like checks).
// Calls are recognised by their dotted name after resolving import aliases, so
// 'from subprocess import run as r; r(cmd, shell=True)' is found as subprocess.run.
#include <algorithm>
#include <map>
#include <set>

#include "Checks.h"
#include "antlr4-runtime.h"
#include "assay/pyparse/Tree.h"

namespace assay::analysis {

const std::vector<Rule>& securityRules() {
    static const std::vector<Rule> rules{
        {"security/eval", "eval() or exec() runs arbitrary code"},
        {"security/os-system", "os.system() or os.popen() runs a shell command"},
        {"security/shell-true", "subprocess with shell=True"},
        {"security/unsafe-deserialization", "pickle or marshal loads data that can run code"},
        {"security/yaml-load", "yaml.load without a safe loader"},
        {"security/hardcoded-secret", "A password or key is written in the source"},
        {"security/mktemp", "tempfile.mktemp() is open to race conditions"},
        {"security/weak-hash", "MD5 or SHA-1 used where a password hash is needed"},
    };
    return rules;
}

namespace {

using pyparse::PyLexer;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool secretName(const std::string& name) {
    const std::string n = lower(name);
    for (const char* word : {"password", "passwd", "pwd", "secret", "api_key", "apikey", "token",
                             "private_key", "access_key", "secret_key"}) {
        if (n.find(word) != std::string::npos) return true;
    }
    return false;
}

// A non-empty plain string literal (no f-string), e.g. "hunter2".
bool nonEmptyString(const antlr4::Token* t) {
    if (t->getType() != PyLexer::STRING) return false;
    const std::string s = t->getText();
    const auto q = s.find_first_of("\"'");
    return q != std::string::npos && s.size() - q > 2 && s.substr(q, 2) != "\"\"" &&
           s.substr(q, 2) != "''";
}

struct Call {
    std::string name;            // canonical dotted name
    size_t nameToken = 0;        // first token of the callee
    size_t open = 0, close = 0;  // the argument parentheses
};

class Scanner {
  public:
    Scanner(const SourceFile& f, std::vector<Finding>& out) : f_(f), t_(f.tokens), out_(out) {
        for (const auto& imp : f.model->imports) {
            if (imp.name == "*") continue;
            const std::string full = imp.name.empty() ? imp.module : imp.module + "." + imp.name;
            if (imp.name.empty() && imp.asName == imp.module.substr(0, imp.module.find('.'))) {
                aliases_[imp.asName] = imp.asName;  // 'import os.path' binds 'os'
            } else {
                aliases_[imp.asName] = full;
            }
        }
    }

    void run() {
        for (size_t i = 0; i < t_.size(); ++i) {
            secretAssignment(i);
            Call c;
            if (callAt(i, c)) check(c);
        }
    }

  private:
    bool callAt(size_t i, Call& c) {
        if (t_[i]->getType() != PyLexer::NAME || (i > 0 && t_[i - 1]->getType() == PyLexer::DOT))
            return false;
        size_t j = i;
        std::string dotted = t_[i]->getText();
        while (j + 2 < t_.size() && t_[j + 1]->getType() == PyLexer::DOT &&
               t_[j + 2]->getType() == PyLexer::NAME) {
            dotted.append(".").append(t_[j + 2]->getText());
            j += 2;
        }
        if (j + 1 >= t_.size() || t_[j + 1]->getType() != PyLexer::LPAR) return false;
        const std::string head = dotted.substr(0, dotted.find('.'));
        const auto a = aliases_.find(head);
        c.name = a == aliases_.end() ? dotted : a->second + dotted.substr(head.size());
        c.nameToken = i;
        c.open = j + 1;
        int depth = 0;
        for (size_t k = c.open; k < t_.size(); ++k) {
            const size_t type = t_[k]->getType();
            if (type == PyLexer::LPAR || type == PyLexer::LSQB || type == PyLexer::LBRACE) ++depth;
            if (type == PyLexer::RPAR || type == PyLexer::RSQB || type == PyLexer::RBRACE) {
                if (--depth == 0) {
                    c.close = k;
                    return true;
                }
            }
        }
        return false;
    }

    // The token after 'keyword=' among the call's own arguments, or null.
    const antlr4::Token* keyword(const Call& c, const char* name) const {
        int depth = 0;
        for (size_t k = c.open; k < c.close; ++k) {
            const size_t type = t_[k]->getType();
            if (type == PyLexer::LPAR || type == PyLexer::LSQB || type == PyLexer::LBRACE) ++depth;
            if (type == PyLexer::RPAR || type == PyLexer::RSQB || type == PyLexer::RBRACE) --depth;
            if (depth == 1 && t_[k]->getText() == name && t_[k + 1]->getType() == PyLexer::EQUAL)
                return t_[k + 2];
        }
        return nullptr;
    }

    bool argsMention(const Call& c, const char* word) const {
        for (size_t k = c.open; k < c.close; ++k) {
            if (lower(t_[k]->getText()).find(word) != std::string::npos) return true;
        }
        return false;
    }

    void report(const Call& c, const char* rule, const char* level, const std::string& message) {
        out_.push_back(
            {rule, level, message, f_.path, lineOf(t_[c.nameToken]), columnOf(t_[c.nameToken])});
    }

    void check(const Call& c) {
        const std::string& n = c.name;
        if ((n == "eval" || n == "exec") && !f_.model->scope->binds(n)) {
            report(c, "security/eval", "error",
                   n + "() runs any Python code it is given; with user input an attacker can do "
                       "anything your "
                       "program can. Parse the input instead (int(), float(), json.loads() or "
                       "ast.literal_eval() for Python literals).");
        } else if (n == "os.system" || n == "os.popen") {
            report(c, "security/os-system", "warning",
                   n + "() passes its command to a shell, so special characters in the input can "
                       "run other "
                       "commands. Use subprocess.run([...]) with a list of arguments instead.");
        } else if (n.rfind("subprocess.", 0) == 0) {
            const auto* shell = keyword(c, "shell");
            if (shell && shell->getType() == PyLexer::TRUE) {
                report(c, "security/shell-true", "error",
                       n + "(..., shell=True) lets special characters in the command run other "
                           "commands. Pass "
                           "the command as a list of arguments and drop shell=True.");
            }
        } else if (n == "pickle.load" || n == "pickle.loads" || n == "marshal.load" ||
                   n == "marshal.loads" || n == "cPickle.loads" || n == "dill.loads" ||
                   n == "pickle.Unpickler") {
            report(c, "security/unsafe-deserialization", "warning",
                   n + "() can run arbitrary code while loading data that someone else could have "
                       "written. "
                       "Store and read data as JSON (json.load) unless the file is your own.");
        } else if (n == "yaml.load" || n == "yaml.load_all" || n == "yaml.unsafe_load") {
            const auto* loader = keyword(c, "Loader");
            const std::string l = loader ? loader->getText() : "";
            const bool safe =
                l == "SafeLoader" || l == "CSafeLoader" || l == "BaseLoader" ||
                (loader && c.name != "yaml.unsafe_load" && argsMention(c, "safeloader"));
            if (!safe) {
                report(c, "security/yaml-load", "warning",
                       n + "() without a safe loader can build arbitrary Python objects from the "
                           "file. Use "
                           "yaml.safe_load() instead.");
            }
        } else if (n == "tempfile.mktemp") {
            report(c, "security/mktemp", "warning",
                   "tempfile.mktemp() returns a name another program can take before you create "
                   "the file. Use "
                   "tempfile.NamedTemporaryFile() or tempfile.mkstemp(), which create it safely.");
        } else if (n == "hashlib.md5" || n == "hashlib.sha1" || n == "hashlib.new") {
            if (n == "hashlib.new" && !(argsMention(c, "md5") || argsMention(c, "sha1"))) return;
            const auto* forSecurity = keyword(c, "usedforsecurity");
            if (forSecurity && forSecurity->getType() == PyLexer::FALSE) return;
            const bool password = argsMention(c, "pass") || argsMention(c, "pwd");
            report(
                c, "security/weak-hash", password ? "error" : "warning",
                std::string(password ? "Passwords hashed with MD5 or SHA-1 can be cracked quickly. "
                                     : "MD5 and SHA-1 are broken for security purposes. ") +
                    "For passwords use hashlib.scrypt() or hashlib.pbkdf2_hmac() with a random "
                    "salt; for "
                    "other integrity checks use hashlib.sha256().");
        }
    }

    // NAME = "literal" (also keyword arguments password="..."), or x.password = "...".
    void secretAssignment(size_t i) {
        if (i + 2 >= t_.size() || t_[i]->getType() != PyLexer::NAME) return;
        size_t eq = i + 1;
        if (t_[eq]->getType() == PyLexer::COLON) {  // annotated: name: str = "..."
            while (eq < t_.size() && t_[eq]->getType() != PyLexer::EQUAL &&
                   t_[eq]->getType() != PyLexer::NEWLINE)
                ++eq;
        }
        if (eq + 1 >= t_.size() || t_[eq]->getType() != PyLexer::EQUAL) return;
        if (!secretName(t_[i]->getText()) || !nonEmptyString(t_[eq + 1])) return;
        if (eq + 2 < t_.size() && t_[eq + 2]->getType() == PyLexer::STRING)
            return;  // implicit concatenation docs
        out_.push_back(
            {"security/hardcoded-secret", "warning",
             std::string(1, '\'').append(t_[i]->getText()) +
                 "' gets a secret written into the source; anyone who can read the code can read "
                 "it. "
                 "Read it from an environment variable (os.environ[...]) or a configuration file "
                 "that is not shared.",
             f_.path, lineOf(t_[i]), columnOf(t_[i])});
    }

    const SourceFile& f_;
    const std::vector<antlr4::Token*>& t_;
    std::vector<Finding>& out_;
    std::map<std::string, std::string> aliases_;
};

}  // namespace

void runSecurity(const std::vector<SourceFile>& files, const Options&, std::vector<Finding>& out) {
    for (const auto& f : files)
        Scanner(f, out).run();
}

}  // namespace assay::analysis
