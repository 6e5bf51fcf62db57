// The typed model: functions, classes, parameters, decorators, attributes, imports,
// complexity, and scopes with bindings, uses and name resolution.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>

#include "TreeQuery.h"
#include "assay/pyparse/Model.h"

using namespace assay::pyparse;
using namespace assay::pyparse::testing;

namespace {

const char* const kProgram = R"(import os.path as p, sys
from .x import y as z
G = 1

class Shape(Base, metaclass=ABCMeta):
    """A shape."""
    sides = 0

    def __init__(self, width, /, height=1, *rest, scale, **options):
        self.width = width
        self._height: float = height

    @property
    def height(self):
        return self._height

    @abc.abstractmethod
    async def area(self) -> float:
        if self.width and self._height or G:
            return 0
        elif self.width:
            return [w for w in range(3) if w if w > 1]
        for i in range(3):
            pass
        else:
            pass
        while False:
            break
        try:
            pass
        except ValueError:
            pass
        except TypeError:
            pass
        else:
            pass
        assert a and b
        return 1 if G else 2

    class Inner:
        pass

def outer(a, *args, k=1, **kw):
    global G
    n = 0
    def inner():
        nonlocal n
        n += 1
        yield [x for x in args if (found := x)] + missing
    return inner

match command:
    case Point(x=px, y=0, z=rest) | [px, *rest]:
        print(px, rest)
    case {"k": value, **others} if value:
        pass
    case mod.CONSTANT | _:
        pass

type Alias[T] = list[T]
)";

const Binding* binding(const Scope& scope, const std::string& name) {
    for (const auto& b : scope.bindings)
        if (b.name == name) return &b;
    return nullptr;
}

const Scope* child(const Scope& scope, const std::string& name) {
    for (const auto& c : scope.children)
        if (c->name == name) return c.get();
    return nullptr;
}

bool uses(const Scope& scope, const std::string& name) {
    return std::any_of(scope.uses.begin(), scope.uses.end(),
                       [&](const NameUse& u) { return u.name == name; });
}

}  // namespace

class PyParseModelTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PyParseModelTest);
    CPPUNIT_TEST(testClasses);
    CPPUNIT_TEST(testFunctionsAndParameters);
    CPPUNIT_TEST(testComplexity);
    CPPUNIT_TEST(testNesting);
    CPPUNIT_TEST(testImports);
    CPPUNIT_TEST(testScopesAndResolution);
    CPPUNIT_TEST(testPatternsAndTypeParameters);
    CPPUNIT_TEST(testModelOfBrokenSource);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override {
        result_ = parseValid(kProgram);
        module_ = buildModel(*result_);
    }

    void testClasses() {
        CPPUNIT_ASSERT_EQUAL(size_t(1), module_->classes.size());
        const Class& shape = *module_->classes[0];
        CPPUNIT_ASSERT_EQUAL(std::string("Shape"), shape.name);
        CPPUNIT_ASSERT_EQUAL(5, shape.at.line);
        CPPUNIT_ASSERT(shape.hasDocstring);
        CPPUNIT_ASSERT(shape.bases == std::vector<std::string>{"Base"});
        CPPUNIT_ASSERT_EQUAL(std::string("metaclass"), shape.keywords.at(0).first);
        CPPUNIT_ASSERT_EQUAL(std::string("ABCMeta"), shape.keywords.at(0).second);
        CPPUNIT_ASSERT_EQUAL(size_t(3), shape.methods.size());
        CPPUNIT_ASSERT_EQUAL(size_t(1), shape.classes.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Shape.Inner"), shape.classes[0]->qualifiedName);
        std::vector<std::string> attributes;
        for (const auto& a : shape.attributes)
            attributes.push_back(a.name + (a.onInstance ? "@" + a.method : ""));
        CPPUNIT_ASSERT((attributes ==
                        std::vector<std::string>{"sides", "width@__init__", "_height@__init__"}));
        CPPUNIT_ASSERT(shape.methods[1]->decoratedAs("property"));
        CPPUNIT_ASSERT(shape.methods[2]->decoratedAs("abc.abstractmethod"));
        CPPUNIT_ASSERT_EQUAL(std::string("Shape"), shape.methods[0]->className);
        CPPUNIT_ASSERT(shape.methods[0]->isMethod);
    }

    void testFunctionsAndParameters() {
        const Function& init = *module_->classes[0]->methods[0];
        using K = Parameter::Kind;
        const std::vector<std::pair<std::string, K>> expected = {
            {"self", K::PositionalOnly}, {"width", K::PositionalOnly}, {"height", K::Positional},
            {"rest", K::VarPositional},  {"scale", K::KeywordOnly},    {"options", K::VarKeyword}};
        CPPUNIT_ASSERT_EQUAL(expected.size(), init.parameters.size());
        for (size_t i = 0; i < expected.size(); ++i) {
            CPPUNIT_ASSERT_EQUAL(expected[i].first, init.parameters[i].name);
            CPPUNIT_ASSERT(expected[i].second == init.parameters[i].kind);
        }
        CPPUNIT_ASSERT(init.parameters[2].hasDefault);
        const Function& area = *module_->classes[0]->methods[2];
        CPPUNIT_ASSERT(area.isAsync);
        CPPUNIT_ASSERT_EQUAL(std::string("float"), area.returns);
        CPPUNIT_ASSERT_EQUAL(18, area.at.line);  // the 'async' keyword, after the decorator
        CPPUNIT_ASSERT_EQUAL(5, area.at.column);
        CPPUNIT_ASSERT_EQUAL(38, area.endLine);  // the last line of its body

        CPPUNIT_ASSERT_EQUAL(size_t(1), module_->functions.size());
        const Function& outer = *module_->functions[0];
        CPPUNIT_ASSERT_EQUAL(size_t(1), outer.functions.size());
        const Function& inner = *outer.functions[0];
        CPPUNIT_ASSERT_EQUAL(std::string("outer.inner"), inner.qualifiedName);
        CPPUNIT_ASSERT(inner.isGenerator);
        CPPUNIT_ASSERT(!outer.isGenerator);
        // area: 'return 0', 'return [...]', 'return 1 if G else 2'; the closure's are its own.
        CPPUNIT_ASSERT_EQUAL(size_t(3), area.returnStatements.size());
        CPPUNIT_ASSERT_EQUAL(20, area.returnStatements[0].at.line);
        CPPUNIT_ASSERT_EQUAL(13, area.returnStatements[0].at.column);
        CPPUNIT_ASSERT(area.returnStatements[2].hasValue);
        CPPUNIT_ASSERT_EQUAL(size_t(1), outer.returnStatements.size());
        CPPUNIT_ASSERT(inner.returnStatements.empty());
    }

    void testComplexity() {
        const Class& shape = *module_->classes[0];
        // if(1) + and/or(2) + elif(1) + comprehension for(1) + two ifs(2) + for/else(2)
        // + while(1) + two handlers and else(3) + assert(1, operands not counted) + ternary(1),
        // plus 1.
        CPPUNIT_ASSERT_EQUAL(16, shape.methods[2]->complexity);
        CPPUNIT_ASSERT_EQUAL(1, shape.methods[0]->complexity);
        CPPUNIT_ASSERT_EQUAL(1 + 1 + 1 + 16, shape.realComplexity);
        CPPUNIT_ASSERT_EQUAL(19 / 3 + 1, shape.complexity);
        // The closure's comprehension is its own, not the outer function's.
        CPPUNIT_ASSERT_EQUAL(1, module_->functions[0]->complexity);
        CPPUNIT_ASSERT_EQUAL(3, module_->functions[0]->functions[0]->complexity);
    }

    void testNesting() {
        CPPUNIT_ASSERT_EQUAL(
            1, module_->classes[0]->methods[2]->nesting);  // if, for, while, try side by side
        CPPUNIT_ASSERT_EQUAL(0, module_->classes[0]->methods[0]->nesting);
        auto deep = parseValid(
            "def f(rows):\n"
            "    for row in rows:\n"
            "        while row:\n"
            "            with open(row) as h:\n"
            "                try:\n"
            "                    if h:\n"
            "                        def inner():\n"
            "                            if 1:\n"
            "                                if 2: pass\n"
            "                    elif row:\n"
            "                        pass\n"
            "                except OSError:\n"
            "                    pass\n"
            "    match rows:\n"
            "        case []:\n"
            "            pass\n");
        auto model = buildModel(*deep);
        CPPUNIT_ASSERT_EQUAL(5, model->functions[0]->nesting);  // for, while, with, try, if
        CPPUNIT_ASSERT_EQUAL(2, model->functions[0]->functions[0]->nesting);
    }

    void testImports() {
        const auto& imports = module_->imports;
        CPPUNIT_ASSERT_EQUAL(size_t(3), imports.size());
        CPPUNIT_ASSERT_EQUAL(std::string("os.path"), imports[0].module);
        CPPUNIT_ASSERT_EQUAL(std::string("p"), imports[0].asName);
        CPPUNIT_ASSERT_EQUAL(std::string("sys"), imports[1].asName);
        CPPUNIT_ASSERT_EQUAL(std::string("x"), imports[2].module);
        CPPUNIT_ASSERT_EQUAL(std::string("y"), imports[2].name);
        CPPUNIT_ASSERT_EQUAL(std::string("z"), imports[2].asName);
        CPPUNIT_ASSERT_EQUAL(1, imports[2].level);
    }

    void testScopesAndResolution() {
        const Scope& module = *module_->scope;
        CPPUNIT_ASSERT(binding(module, "p") && binding(module, "p")->kind == BindingKind::Import);
        CPPUNIT_ASSERT(binding(module, "Shape")->kind == BindingKind::Class);
        const Scope* outer = child(module, "outer");
        CPPUNIT_ASSERT(outer && outer == module_->functions[0]->scope);
        CPPUNIT_ASSERT(binding(*outer, "kw")->kind == BindingKind::Parameter);
        CPPUNIT_ASSERT(binding(*outer, "G")->kind == BindingKind::Global);
        const Scope* inner = child(*outer, "inner");
        // nonlocal n resolves to outer; the walrus binds in inner, not in the comprehension.
        CPPUNIT_ASSERT_EQUAL(outer, inner->resolve("n"));
        CPPUNIT_ASSERT(inner->binds("found"));
        CPPUNIT_ASSERT(uses(*inner, "missing"));
        CPPUNIT_ASSERT(inner->resolve("missing") == nullptr);
        CPPUNIT_ASSERT_EQUAL(&module, inner->resolve("G"));
        const Scope* comprehension = child(*inner, "<comprehension>");
        CPPUNIT_ASSERT(comprehension && comprehension->binds("x"));
        CPPUNIT_ASSERT_EQUAL(outer, comprehension->resolve("args"));
        // Class attributes are not visible from methods.
        const Scope* height = child(*child(module, "Shape"), "height");
        CPPUNIT_ASSERT(height->resolve("sides") == nullptr);
        CPPUNIT_ASSERT(uses(*height, "self"));
        // Attribute names after '.' are not uses.
        CPPUNIT_ASSERT(!uses(*height, "_height"));
    }

    void testPatternsAndTypeParameters() {
        const Scope& module = *module_->scope;
        for (const char* name : {"px", "rest", "value", "others"})
            CPPUNIT_ASSERT_MESSAGE(
                name, binding(module, name) && binding(module, name)->kind == BindingKind::Pattern);
        CPPUNIT_ASSERT(!binding(module, "_"));
        CPPUNIT_ASSERT(!binding(module, "x"));  // keyword of a class pattern
        CPPUNIT_ASSERT(uses(module, "Point") && uses(module, "mod") && uses(module, "command"));
        const Scope* alias = child(module, "Alias");
        CPPUNIT_ASSERT(alias && alias->kind == Scope::Kind::TypeParameters);
        CPPUNIT_ASSERT(binding(*alias, "T")->kind == BindingKind::TypeParameter);
        CPPUNIT_ASSERT_EQUAL(alias, alias->resolve("T"));
    }

    void testModelOfBrokenSource() {
        auto broken = parse("def ok():\n    return 1\ndef bad(:\n", "<broken>");
        CPPUNIT_ASSERT(!broken->ok());
        auto model = buildModel(*broken);  // empty, not a crash on the repaired tree
        CPPUNIT_ASSERT(model->scope != nullptr);
        CPPUNIT_ASSERT(model->functions.empty());
        CPPUNIT_ASSERT_EQUAL(3, model->lines);
        auto undecodable = parse("x = '\xff'\n", "<bytes>");
        CPPUNIT_ASSERT(buildModel(*undecodable)->functions.empty());
    }

  private:
    std::unique_ptr<ParseResult> result_;
    std::unique_ptr<Module> module_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PyParseModelTest);
