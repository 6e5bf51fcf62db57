// A typed model of a Python module, built from the parse tree, so analyzers work with
// modules, classes, functions, scopes and names instead of raw grammar rules.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace antlr4 {
class ParserRuleContext;
}

namespace assay::pyparse {

class ParseResult;

// A place in the source: 1-based line, 1-based column (in characters).
struct Position {
    int line = 0;
    int column = 0;
};

struct Decorator {
    std::string expression;  // source text after '@', e.g. "property" or "app.route('/x')"
    std::string name;  // the dotted name being called or referenced ("app.route"), may be empty
    Position at;
};

struct Parameter {
    enum class Kind { PositionalOnly, Positional, VarPositional, KeywordOnly, VarKeyword };
    std::string name;
    Kind kind = Kind::Positional;
    bool hasDefault = false;
    std::string annotation;  // source text, empty if none
    Position at;
};

struct Class;
struct Scope;

struct ReturnStatement {
    Position at;
    bool hasValue = false;  // 'return <expression>' rather than a bare 'return'
};

struct Function {
    std::string name;
    std::string
        qualifiedName;  // dotted through enclosing classes and functions: "Outer.method.inner"
    Position at;        // the 'def' (or 'async') keyword
    int endLine = 0;
    bool isAsync = false;
    bool isMethod = false;  // defined in a class body
    std::string className;  // the class for methods
    std::vector<Parameter> parameters;
    std::vector<Decorator> decorators;
    std::string returns;  // return annotation text, empty if none
    bool hasDocstring = false;
    bool isGenerator = false;  // contains yield (not counting nested functions)
    std::vector<ReturnStatement> returnStatements;  // in the body, not in nested definitions
    int complexity = 1;  // cyclomatic complexity, counted as radon's cc counts it
    int nesting = 0;     // deepest nesting of if/for/while/try/with/match blocks in the body
    std::vector<std::unique_ptr<Function>> functions;  // nested functions (closures)
    std::vector<std::unique_ptr<Class>> classes;       // classes defined in the body
    Scope* scope = nullptr;                            // owned by the Module's scope tree
    antlr4::ParserRuleContext* node = nullptr;         // the funcdef context

    // True if a decorator names `decoratorName` (e.g. "staticmethod", "abc.abstractmethod").
    bool decoratedAs(const std::string& decoratorName) const;
};

struct Attribute {
    std::string name;
    Position at;
    bool onInstance = false;  // assigned as self.<name> in a method; else in the class body
    std::string method;       // the method that assigns it (instance attributes)
};

struct Class {
    std::string name;
    std::string qualifiedName;
    Position at;
    int endLine = 0;
    std::vector<std::string> bases;  // source text of each positional base
    std::vector<std::pair<std::string, std::string>> keywords;  // e.g. {"metaclass", "ABCMeta"}
    std::vector<Decorator> decorators;
    std::vector<std::unique_ptr<Function>> methods;
    std::vector<std::unique_ptr<Class>> classes;  // nested classes
    std::vector<Attribute> attributes;            // first assignment of each name
    bool hasDocstring = false;
    // radon's figures: real = 1 + class-body decision points + sum of method complexities;
    // complexity = real / methods (integer) + (methods > 1), or real without methods.
    int realComplexity = 1;
    int complexity = 1;
    Scope* scope = nullptr;
    antlr4::ParserRuleContext* node = nullptr;
};

// How a name came to be bound in a scope.
enum class BindingKind {
    Assignment,  // =, augmented, annotated (with value), walrus
    Annotation,  // annotated without value
    Parameter,
    Import,
    Function,
    Class,
    Loop,           // for target
    With,           // with ... as
    Exception,      // except ... as
    Comprehension,  // comprehension target
    Pattern,        // match capture
    Deletion,       // del
    TypeParameter,
    Global,    // declared global here
    Nonlocal,  // declared nonlocal here
};

struct Binding {
    std::string name;
    BindingKind kind;
    Position at;
};

struct NameUse {
    std::string name;
    Position at;
};

struct Scope {
    enum class Kind { Module, Class, Function, Lambda, Comprehension, TypeParameters };
    Kind kind = Kind::Module;
    std::string name;
    Position at;
    Scope* parent = nullptr;
    std::vector<Binding> bindings;  // in source order
    std::vector<NameUse> uses;      // loads, in source order
    std::vector<std::string> globals;
    std::vector<std::string> nonlocals;
    std::vector<std::unique_ptr<Scope>> children;

    // True if `name` is bound in this scope (not counting global/nonlocal declarations).
    bool binds(const std::string& name) const;
    // The scope a use of `name` here resolves to (Python's LEGB, class scopes skipped
    // for nested functions), or null for a builtin or undefined name.
    const Scope* resolve(const std::string& name) const;
};

struct Import {
    std::string module;  // "os.path", or "" for "from . import x"
    std::string name;    // the imported name for "from" imports, else empty
    std::string asName;  // the bound name
    int level = 0;       // leading dots
    Position at;
};

struct Module {
    std::string filename;
    int lines = 0;
    bool hasDocstring = false;
    std::vector<std::unique_ptr<Function>> functions;  // module-level (including in if/try blocks)
    std::vector<std::unique_ptr<Class>> classes;
    std::vector<Import> imports;   // all imports, at any depth
    std::unique_ptr<Scope> scope;  // the module scope and its children
};

// Builds the model of a parsed module. A result with syntax errors yields an empty
// model (file name, line count and an empty module scope): trees repaired by error
// recovery can lack any part, so nothing is read from them.
std::unique_ptr<Module> buildModel(const ParseResult& result);

}  // namespace assay::pyparse
