// Python 3.12 constructs parse without errors and into the expected tree shapes.
#include <cppunit/extensions/HelperMacros.h>

#include "TreeQuery.h"

using namespace assay::pyparse;
using namespace assay::pyparse::testing;
using P = PyParser;

class PyParseValidTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PyParseValidTest);
    CPPUNIT_TEST(testDecorators);
    CPPUNIT_TEST(testAsyncAwait);
    CPPUNIT_TEST(testWalrus);
    CPPUNIT_TEST(testParameters);
    CPPUNIT_TEST(testStarExpressions);
    CPPUNIT_TEST(testMatchPatterns);
    CPPUNIT_TEST(testSoftKeywordsAsIdentifiers);
    CPPUNIT_TEST(testTypeParametersAndAliases);
    CPPUNIT_TEST(testExceptStar);
    CPPUNIT_TEST(testNumbers);
    CPPUNIT_TEST(testStringPrefixes);
    CPPUNIT_TEST(testIndentationAndLineJoining);
    CPPUNIT_TEST(testWithStatements);
    CPPUNIT_TEST(testOtherStatements);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testDecorators() {
        auto r = parseValid(
            "@plain\n@dotted.name(arg, k=1)\n@(lambda f: f)\n@items[0].attr if flag else other\n"
            "@x := make()\nclass C:\n    @staticmethod\n    def f(): pass\n    @property\n    "
            "async def g(self): pass\n");
        CPPUNIT_ASSERT_EQUAL(size_t(7), find<P::DecoratorContext>(*r).size());
        CPPUNIT_ASSERT_EQUAL(size_t(3), find<P::DecoratedContext>(*r).size());
        CPPUNIT_ASSERT_EQUAL(size_t(1), find<P::Async_funcdefContext>(*r).size());
    }

    void testAsyncAwait() {
        auto r = parseValid(
            "async def main():\n"
            "    async with lock as held, other:\n"
            "        async for item in stream():\n"
            "            await item\n"
            "    result = [await x async for x in aiter() if await ok(x)]\n"
            "    return await asyncio.gather(*tasks) ** 2\n"
            "def sync():\n    return (i * 2 for i in range(3) if await wrap(i))\n");
        // async def (undecorated), async with, async for
        CPPUNIT_ASSERT_EQUAL(size_t(3), find<P::Async_stmtContext>(*r).size());
        size_t awaits = 0;
        for (auto* primary : find<P::Await_primaryContext>(*r))
            awaits += primary->AWAIT() != nullptr;
        CPPUNIT_ASSERT_EQUAL(size_t(5), awaits);
        size_t asyncComprehensions = 0;
        for (auto* comp : find<P::Comp_forContext>(*r))
            asyncComprehensions += comp->ASYNC() != nullptr;
        CPPUNIT_ASSERT_EQUAL(size_t(1), asyncComprehensions);
    }

    void testWalrus() {
        auto r = parseValid(
            "if (n := len(a)) > 10: pass\n"
            "while chunk := f.read(1024): pass\n"
            "print(total := 5, [y := 1, y ** 2], {z := 0})\n"
            "data[i := 0]\n"
            "values = [v for x in xs if (v := f(x))]\n"
            "match m := obj:\n    case _: pass\n");
        size_t named = 0;
        for (auto* n : find<P::Namedexpr_testContext>(*r))
            named += n->COLONEQUAL() != nullptr;
        size_t inSubscript = 0;
        for (auto* s : find<P::SubscriptContext>(*r))
            inSubscript += s->COLONEQUAL() != nullptr;
        size_t inArguments = 0;
        for (auto* a : find<P::ArgumentContext>(*r))
            inArguments += a->COLONEQUAL() != nullptr;
        size_t inSets = 0;
        for (auto* d : find<P::DictorsetmakerContext>(*r))
            inSets += d->COLONEQUAL() != nullptr;
        CPPUNIT_ASSERT_EQUAL(size_t(1), inSubscript);
        CPPUNIT_ASSERT_EQUAL(size_t(1), inArguments);
        CPPUNIT_ASSERT_EQUAL(size_t(1), inSets);
        CPPUNIT_ASSERT_EQUAL(size_t(5),
                             named);  // if, while, list element, comprehension, match subject
    }

    void testParameters() {
        auto r = parseValid(
            "def f(a, b=1, /, c=2, *args: *Ts, d, e=3, **kw) -> int: pass\n"
            "def g(a, /): pass\n"
            "def h(*, k): pass\n"
            "def i(p: int = 0, /, *, q: str = '') -> None: pass\n"
            "l = lambda a, /, b=1, *c, d, **e: 0\n"
            "m = lambda *, k=1: k\n"
            "n = lambda: 0\n");
        auto params = find<P::Typed_paramContext>(*r);
        CPPUNIT_ASSERT_EQUAL(size_t(16), params.size());
        size_t slashes = 0;
        for (auto* p : params)
            slashes += p->SLASH() != nullptr;
        CPPUNIT_ASSERT_EQUAL(size_t(3), slashes);
        CPPUNIT_ASSERT_EQUAL(size_t(8), find<P::Lambda_paramContext>(*r).size());
    }

    void testStarExpressions() {
        auto r = parseValid(
            "a, *b, c = range(10)\n"
            "[x, *y] = (*p, *q)\n"
            "for first, *rest in rows: pass\n"
            "def f():\n    return *a, *b\n"
            "def g():\n    yield *a, b\n"
            "print(*args, *more, **kw, **extra)\n"
            "t = tuple_[*Ts]\n"
            "s = {*a, *b}\n"
            "d = {**a, 'k': 1, **b}\n"
            "for x in *a, *b: pass\n");
        // Call arguments use their own '*' form; every other starred item is a star_expr.
        CPPUNIT_ASSERT_EQUAL(size_t(13), find<P::Star_exprContext>(*r).size());
    }

    void testMatchPatterns() {
        auto r = parseValid(
            "match command.split():\n"
            "    case [action]: pass\n"
            "    case [action, obj] | ('go' | 'move', obj, action) if obj: pass\n"
            "    case Point(x=0, y=0) | Point(0, 0, z=_): pass\n"
            "    case {'k': v, **rest}: pass\n"
            "    case {1: _, 'a': [1, 2], -1: None, 1 + 2j: True, Color.RED: x}: pass\n"
            "    case [1, 2, *others] | (1, *others): pass\n"
            "    case () | [] | (1, *_): pass\n"
            "    case -1 | 1.5 | -2 - 3j | 's' 't' | b'' | None | True | False: pass\n"
            "    case str() | bytes() as s: pass\n"
            "    case (a as b) as c if c: pass\n"
            "    case mod.sub.CONST: pass\n"
            "    case _: pass\n"
            "match a, *b:\n    case 1, 2: pass\n"
            "match (x):\n    case y if (y := 0): pass\n    case _: pass\n");
        CPPUNIT_ASSERT_EQUAL(size_t(3), find<P::Match_stmtContext>(*r).size());
        CPPUNIT_ASSERT_EQUAL(size_t(15), find<P::Case_blockContext>(*r).size());
        CPPUNIT_ASSERT_EQUAL(size_t(7), find<P::Mapping_itemContext>(*r).size());
        size_t classPatterns = 0, valuePatterns = 0;
        for (auto* p : find<P::Name_or_class_patternContext>(*r)) {
            classPatterns += p->LPAR() != nullptr;
            valuePatterns += p->LPAR() == nullptr && !p->DOT().empty();
        }
        CPPUNIT_ASSERT_EQUAL(size_t(4), classPatterns);
        CPPUNIT_ASSERT_EQUAL(size_t(1),
                             valuePatterns);  // mod.sub.CONST (Color.RED is a mapping key)
        CPPUNIT_ASSERT_EQUAL(size_t(3), find<P::GuardContext>(*r).size());
    }

    void testSoftKeywordsAsIdentifiers() {
        auto r = parseValid(
            "match = 1; case = 2; type = 3; _ = 4\n"
            "print(match, case, type, _)\n"
            "match(x)\n"
            "match[x]: int = 5\n"
            "match.attr = -match\n"
            "type(x).y = 3\n"
            "type = type\n"
            "def type_user(type=type, match=None, *, case, _=0): return type, match, case, _\n"
            "class match: pass\n"
            "import match.case as type\n"
            "[match for case in type if _]\n"
            "match match:\n    case case: pass\n"
            "type type = int\n");
        CPPUNIT_ASSERT_EQUAL(size_t(1), find<P::Match_stmtContext>(*r).size());
        CPPUNIT_ASSERT_EQUAL(size_t(1), find<P::Type_aliasContext>(*r).size());
        CPPUNIT_ASSERT_EQUAL(size_t(16), find<P::Simple_stmtContext>(*r).size());
    }

    void testTypeParametersAndAliases() {
        auto r = parseValid(
            "type Alias = int\n"
            "type Generic[T] = list[T]\n"
            "type Bounded[T: (int, str), *Ts, **P] = tuple[T, *Ts]\n"
            "def first[T](xs: list[T]) -> T: return xs[0]\n"
            "class Box[T: Hashable](Generic[T]): pass\n"
            "async def run[**P, R](f: Callable[P, R]) -> R: pass\n");
        CPPUNIT_ASSERT_EQUAL(size_t(3), find<P::Type_aliasContext>(*r).size());
        CPPUNIT_ASSERT_EQUAL(size_t(5), find<P::Type_paramsContext>(*r).size());
        CPPUNIT_ASSERT_EQUAL(size_t(8), find<P::Type_paramContext>(*r).size());
    }

    void testExceptStar() {
        auto r = parseValid(
            "try:\n    pass\nexcept* ValueError as eg:\n    pass\nexcept* (TypeError, KeyError):\n "
            "   pass\n"
            "else:\n    pass\nfinally:\n    pass\n"
            "try:\n    pass\nexcept:\n    pass\n");
        size_t stars = 0;
        for (auto* clause : find<P::Except_clauseContext>(*r))
            stars += clause->STAR() != nullptr;
        CPPUNIT_ASSERT_EQUAL(size_t(2), stars);
        CPPUNIT_ASSERT_EQUAL(size_t(3), find<P::Except_clauseContext>(*r).size());
    }

    void testNumbers() {
        auto r = parseValid(
            "x = 1_000_000, 0x_FF, 0o17, 0b1010, 0B1, 1_0.5e-1_0, 3.14j, 1e5, .5, 5., 0, 00, 0_0, "
            "1E+3J, 10j\n");
        const std::vector<std::string> expected = {"1_000_000",  "0x_FF", "0o17", "0b1010", "0B1",
                                                   "1_0.5e-1_0", "3.14j", "1e5",  ".5",     "5.",
                                                   "0",          "00",    "0_0",  "1E+3J",  "10j"};
        CPPUNIT_ASSERT(expected == tokenTexts(*r, PyLexer::NUMBER));
    }

    void testStringPrefixes() {
        auto r = parseValid(
            "s = (r'\\d' + R'x' + u'u' + U'u' + b'b' + B'b' + br'1' + Br'2' + bR'3' + BR'4' + "
            "rb'5' + rB'6'\n"
            "     + Rb'7' + RB'8' + '''long\n'still' ''' + \"\"\"x\"\"\" + b'''bytes''' + 'a' 'b' "
            "+ '\\'' + \"\\\"\"\n"
            "     + 'line \\\ncontinued')\n");
        CPPUNIT_ASSERT_EQUAL(size_t(22), tokenTexts(*r, PyLexer::STRING).size());
    }

    void testIndentationAndLineJoining() {
        auto r = parseValid(
            "  # a comment at any indentation before code\n"
            "def f(a,\n"
            "      b):\n"
            "\tif a:\n"
            "\t\treturn [1,\n"
            "  2]\n"
            "\n"
            "        # comment at odd indentation\n"
            "\telse:\n"
            "\t\tx = 1 + \\\n"
            "            2\n"
            "\t\treturn {\n"
            "'k': x}\n"
            "y = f(1, 2)");  // no final newline
        CPPUNIT_ASSERT_EQUAL(size_t(3), tokenTexts(*r, PyLexer::INDENT).size());
        CPPUNIT_ASSERT_EQUAL(size_t(3), tokenTexts(*r, PyLexer::DEDENT).size());
        // NEWLINE tokens on the default channel end logical lines only.
        CPPUNIT_ASSERT_EQUAL(size_t(7), tokenTexts(*r, PyLexer::NEWLINE).size());
        auto formFeed = parseValid("if x:\n\f    y = 1\n\fz = 2\n");
        CPPUNIT_ASSERT_EQUAL(size_t(1), tokenTexts(*formFeed, PyLexer::INDENT).size());
        auto empty = parseValid("");
        CPPUNIT_ASSERT(empty->tree() != nullptr);
        parseValid("\n\n   \n# only comments\n");
    }

    void testWithStatements() {
        auto r = parseValid(
            "with (open(a) as f, open(b) as g,):\n    pass\n"
            "with (a, b):\n    pass\n"
            "with (a) as b, c:\n    pass\n"
            "with a as (b, c), d as [e]:\n    pass\n"
            "with (yield_) as x:\n    pass\n");
        CPPUNIT_ASSERT_EQUAL(size_t(9), find<P::With_itemContext>(*r).size());
        size_t parenthesised = 0;
        for (auto* with : find<P::With_stmtContext>(*r))
            parenthesised += with->with_item().size() > 1 && with->LPAR();
        CPPUNIT_ASSERT_EQUAL(size_t(2), parenthesised);  // the first two: lists of context managers
    }

    void testOtherStatements() {
        auto r = parseValid(
            "from __future__ import annotations\n"
            "import os, sys as system\nfrom . import a\nfrom ..b.c import (d as e, f,)\nfrom ... "
            "import *\n"
            "global g\ndel a[0], b.c, (d, e)\nassert x, 'msg'\nraise E from e\n"
            "def gen():\n    x = yield\n    y = yield from z\n    nonlocal_ = (yield)\n"
            "x = not a is not b not in c < d <= e\n"
            "x = a @ b // c % d ** -e ** f >> g << h & i ^ j | ~k\n"
            "x @= 1; x //= 2; x **= 3; x >>= 4; x <<= 5; x &= 6; x ^= 7; x |= 8; x %= 9\n"
            "x = a if b else c if d else e\nx = ...\nx = a[1:2, ::3, ...]\n"
            "x: int\nx: list[int] = []\nobj.attr: int = 1\n"
            "for i in range(3):\n    continue\nelse:\n    pass\n"
            "while False:\n    break\nelse:\n    pass\n"
            "if a:\n    pass\nelif b:\n    pass\nelse:\n    pass\n"
            "class Empty: pass\n"
            "x = {k: v for k, v in y} | {a for a in b} | (a for a in b)\n");
        CPPUNIT_ASSERT_EQUAL(size_t(4), find<P::Import_fromContext>(*r).size());
        CPPUNIT_ASSERT_EQUAL(size_t(9), find<P::AugassignContext>(*r).size());
        CPPUNIT_ASSERT_EQUAL(size_t(3), find<P::AnnassignContext>(*r).size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PyParseValidTest);
