// oop: every rubric check passing on a well-designed program and failing on a weak one.
#include <cppunit/extensions/HelperMacros.h>

#include "AnalyzerTestUtil.h"

using namespace assay::analysis::test;

namespace {

const char* const kRubric =
    R"("rubric":[{"id":"exists","check":"class_exists","class":"Shape","points":1},)"
    R"({"id":"inh","check":"inherits","class":"Circle","base":"Shape","points":2},)"
    R"({"id":"abs","check":"abstract","class":"Shape"},)"
    R"({"id":"ovr","check":"overrides","class":"Circle","method":"area"},)"
    R"({"id":"poly","check":"polymorphic","base":"Shape","method":"area"},)"
    R"({"id":"enc","check":"encapsulation","class":"Circle"},)"
    R"({"id":"state","check":"no_module_state"}])";

const char* const kGood = R"(from abc import ABC, abstractmethod

LIMIT = 10


class Shape(ABC):
    @abstractmethod
    def area(self):
        ...


class Circle(Shape):
    def __init__(self, r):
        self._r = r

    @property
    def radius(self):
        return self._r

    def area(self):
        return 3.14 * self._r ** 2


class Square(Shape):
    def __init__(self, s):
        self._s = s

    def area(self):
        return self._s ** 2


def total(shapes):
    return sum(s.area() for s in shapes)


print(total([Circle(1), Square(2)]))
)";

const char* const kBad = R"(shapes = []


class Shape:
    def area(self):
        return 0


class Circle:
    def __init__(self, r):
        self.r = r


class Square(Shape):
    pass


def add(s):
    global shapes
    shapes = shapes + [s]
)";

}  // namespace

class OopTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OopTest);
    CPPUNIT_TEST(testGoodDesignPassesEveryItem);
    CPPUNIT_TEST(testWeakDesignFailsEveryItemButExistence);
    CPPUNIT_TEST(testAbstractMethodNotImplemented);
    CPPUNIT_TEST(testNoRubricNoResults);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testGoodDesignPassesEveryItem() {
        auto hs = analyze("oop", kGood, kRubric);
        CPPUNIT_ASSERT_EQUAL(size_t(7), hs.size());
        for (const auto& h : hs) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(h.ruleId + ": " + h.message, std::string("pass"), h.kind);
            CPPUNIT_ASSERT(h.properties->getValue<bool>("passed"));
        }
        CPPUNIT_ASSERT_EQUAL(2.0, hs[1].properties->getValue<double>("points"));
        CPPUNIT_ASSERT_EQUAL(std::string("inh"),
                             hs[1].properties->getValue<std::string>("rubricItem"));
    }

    void testWeakDesignFailsEveryItemButExistence() {
        auto hs = analyze("oop", kBad, kRubric);
        CPPUNIT_ASSERT_EQUAL(size_t(7), hs.size());
        CPPUNIT_ASSERT_EQUAL(std::string("pass"), hs[0].kind);
        for (size_t i = 1; i < hs.size(); ++i) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(hs[i].ruleId + ": " + hs[i].message, std::string("fail"),
                                         hs[i].kind);
            CPPUNIT_ASSERT_EQUAL(std::string("error"), hs[i].level);
            CPPUNIT_ASSERT_EQUAL(0.0, hs[i].properties->getValue<double>("points"));
        }
        CPPUNIT_ASSERT(hs[5].message.find("'r'") != std::string::npos);  // public attribute named
        CPPUNIT_ASSERT(hs[6].message.find("shapes") !=
                       std::string::npos);  // the global state named
    }

    void testAbstractMethodNotImplemented() {
        const char* src =
            "import abc\n\n\nclass Shape(abc.ABC):\n    @abc.abstractmethod\n    def area(self):\n "
            "       pass\n\n\n"
            "class Blob(Shape):\n    pass\n";
        auto hs = analyze("oop", src, R"("rubric":[{"check":"abstract","class":"Shape"}])");
        CPPUNIT_ASSERT_EQUAL(size_t(1), hs.size());
        CPPUNIT_ASSERT_EQUAL(std::string("fail"), hs[0].kind);
        CPPUNIT_ASSERT(hs[0].message.find("Blob") != std::string::npos);
    }

    void testNoRubricNoResults() { CPPUNIT_ASSERT(analyze("oop", kGood).empty()); }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OopTest);
