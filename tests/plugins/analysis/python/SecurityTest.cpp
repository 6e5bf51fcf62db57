// security: each check with a safe and a dangerous example, import aliases included.
#include <cppunit/extensions/HelperMacros.h>

#include "AnalyzerTestUtil.h"

using namespace assay::analysis::test;

class SecurityTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SecurityTest);
    CPPUNIT_TEST(testSafeCode);
    CPPUNIT_TEST(testDangerousCalls);
    CPPUNIT_TEST(testAliasesAreResolved);
    CPPUNIT_TEST(testSecretsAndHashes);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testSafeCode() {
        const char* safe =
            "import ast, json, os, subprocess, tempfile, yaml, hashlib\n"
            "value = ast.literal_eval(input())\nsubprocess.run(['ls', '-l'], check=True)\n"
            "data = yaml.safe_load(open('a.yml'))\nother = yaml.load(open('b.yml'), "
            "Loader=yaml.SafeLoader)\n"
            "fd, path = tempfile.mkstemp()\npassword = os.environ['PASSWORD']\npassword_hint = ''\n"
            "digest = hashlib.sha256(b'x').hexdigest()\nprint(json.dumps(value))\n";
        auto hs = analyze("security", safe);
        std::string all;
        for (const auto& h : hs)
            all += h.ruleId + " " + std::to_string(h.line) + "\n";
        CPPUNIT_ASSERT_EQUAL_MESSAGE(all, size_t(0), hs.size());
    }

    void testDangerousCalls() {
        auto hs = analyze("security",
                          "import os, pickle, marshal, subprocess, tempfile, yaml\nx = "
                          "eval(input())\nexec('print(1)')\n"
                          "os.system('ls ' + x)\nsubprocess.call('ls ' + x, shell=True)\nobj = "
                          "pickle.loads(data)\n"
                          "m = marshal.load(f)\ny = yaml.load(text)\nname = tempfile.mktemp()\n");
        CPPUNIT_ASSERT_EQUAL(2, count(hs, "security/eval"));
        CPPUNIT_ASSERT_EQUAL(2, first(hs, "security/eval")->line);
        CPPUNIT_ASSERT_EQUAL(5, first(hs, "security/eval")->column);
        CPPUNIT_ASSERT_EQUAL(1, count(hs, "security/os-system"));
        CPPUNIT_ASSERT_EQUAL(1, count(hs, "security/shell-true"));
        CPPUNIT_ASSERT_EQUAL(2, count(hs, "security/unsafe-deserialization"));
        CPPUNIT_ASSERT_EQUAL(1, count(hs, "security/yaml-load"));
        CPPUNIT_ASSERT_EQUAL(1, count(hs, "security/mktemp"));
    }

    void testAliasesAreResolved() {
        auto hs = analyze(
            "security",
            "from subprocess import Popen as P\nimport pickle as pk\nfrom os import system\n"
            "P('x', shell=True)\npk.load(f)\nsystem('x')\n");
        CPPUNIT_ASSERT_EQUAL(1, count(hs, "security/shell-true"));
        CPPUNIT_ASSERT_EQUAL(1, count(hs, "security/unsafe-deserialization"));
        CPPUNIT_ASSERT_EQUAL(1, count(hs, "security/os-system"));
        // A local function called eval is not the builtin.
        CPPUNIT_ASSERT_EQUAL(0,
                             count(analyze("security", "def eval(x):\n    return x\n\n\neval(1)\n"),
                                   "security/eval"));
    }

    void testSecretsAndHashes() {
        auto hs = analyze("security",
                          "import hashlib\nDB_PASSWORD = 'hunter2'\nAPI_KEY: str = "
                          "\"abc123\"\nconnect(user='a', password='pw')\n"
                          "h = hashlib.md5(password.encode()).hexdigest()\nc = hashlib.sha1(data)\n"
                          "n = hashlib.new('md5', data, usedforsecurity=False)\n");
        CPPUNIT_ASSERT_EQUAL(3, count(hs, "security/hardcoded-secret"));
        CPPUNIT_ASSERT_EQUAL(2, count(hs, "security/weak-hash"));
        CPPUNIT_ASSERT_EQUAL(std::string("error"), first(hs, "security/weak-hash")->level);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SecurityTest);
