// Assignment bundles: good ones load from a directory and a zip; bad ones are refused with a
// stable error code, and a refused import writes nothing.
#include <Poco/Zip/Compress.h>
#include <cppunit/extensions/HelperMacros.h>
#include <zlib.h>

#include <filesystem>
#include <sstream>

#include "assay/core/bundle/bundle.h"
#include "assay/core/error.h"
#include "test_host.h"
#include "zip_writer.h"

using namespace assay;
namespace fs = std::filesystem;

namespace {

const char* kManifest =
    R"({"id":"t","title":"T","statement":"s.md","tests":[{"name":"a","stdin":"1","expected":"1"}]})";

std::string codeOf(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const ApiError& e) {
        CPPUNIT_ASSERT_EQUAL(400, e.status());
        return e.code();
    }
    return "accepted";
}

}  // namespace

class BundleTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(BundleTest);
    CPPUNIT_TEST(testDemoBundlesLoad);
    CPPUNIT_TEST(testZipRoundTrip);
    CPPUNIT_TEST(testMissingManifest);
    CPPUNIT_TEST(testInvalidJson);
    CPPUNIT_TEST(testUnknownFields);
    CPPUNIT_TEST(testManifestRules);
    CPPUNIT_TEST(testMissingReferencedFile);
    CPPUNIT_TEST(testTraversalAndAbsolutePathsInZip);
    CPPUNIT_TEST(testSymlinks);
    CPPUNIT_TEST(testZipBomb);
    CPPUNIT_TEST(testLyingSizeHeader);
    CPPUNIT_TEST(testRefusedImportWritesNothing);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testDemoBundlesLoad() {
        for (const char* d : {"01-greeting", "02-word-stats"}) {
            auto b = bundle::loadDirectory(test::sourceDir() + "/appliance/demo/" + d);
            CPPUNIT_ASSERT(!b.manifest.tests.empty());
            CPPUNIT_ASSERT(!b.manifest.solution.empty());
            CPPUNIT_ASSERT(b.files.count(b.manifest.statement));
            CPPUNIT_ASSERT(!b.files.count("assignment.json"));
        }
        auto ws = bundle::loadDirectory(test::sourceDir() + "/appliance/demo/02-word-stats");
        CPPUNIT_ASSERT(ws.manifest.tests[1].hidden);
        CPPUNIT_ASSERT_EQUAL(std::string("unit tests"), ws.manifest.tests[1].requires_.at(0));
    }

    void testZipRoundTrip() {
        auto b = bundle::loadDirectory(test::sourceDir() + "/appliance/demo/01-greeting");
        const std::string zip = bundle::toZip(b.manifestJson, b.files);
        auto back = bundle::loadZipBytes(zip);
        CPPUNIT_ASSERT(back.files == b.files);
        CPPUNIT_ASSERT_EQUAL(b.manifestJson, back.manifestJson);
        test::TempDir dir;
        test::writeFile(dir.file("g.zip"), zip);
        CPPUNIT_ASSERT_EQUAL(b.manifest.id, bundle::load(dir.file("g.zip")).manifest.id);
    }

    void testMissingManifest() {
        test::TempDir dir;
        test::writeFile(dir.file("s.md"), "x");
        CPPUNIT_ASSERT_EQUAL(std::string("missing_manifest"),
                             codeOf([&] { bundle::loadDirectory(dir.path()); }));
        CPPUNIT_ASSERT_EQUAL(std::string("missing_manifest"), codeOf([&] {
                                 bundle::loadZipBytes(test::zip({{"s.md", "x"}}));
                             }));
        // A manifest one folder down does not count.
        CPPUNIT_ASSERT_EQUAL(std::string("missing_manifest"), codeOf([&] {
                                 bundle::loadZipBytes(test::zip(
                                     {{"sub/assignment.json", kManifest}, {"s.md", "x"}}));
                             }));
    }

    void testInvalidJson() {
        for (const char* bad : {"{", "", "[]", "{\"id\": }", "nul", "{\"id\":\"t\",}"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(
                bad, std::string("invalid_json"), codeOf([&] {
                    bundle::loadZipBytes(test::zip({{"assignment.json", bad}, {"s.md", "x"}}));
                }));
    }

    void testUnknownFields() {
        CPPUNIT_ASSERT_EQUAL(
            std::string("unknown_field"), codeOf([] {
                bundle::parseManifest(R"({"id":"t","title":"T","statement":"s.md","colour":"red",
                                     "tests":[{"name":"a","stdin":"1","expected":"1"}]})");
            }));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown_field"), codeOf([] {
                                 bundle::parseManifest(R"({"id":"t","title":"T","statement":"s.md",
                                     "tests":[{"name":"a","stdin":"1","expected":"1","points":3}]})");
                             }));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown_field"), codeOf([] {
                                 bundle::parseManifest(
                                     R"({"id":"t","title":"T","statement":"s.md","limits":{"cpu":1},
                                     "tests":[{"name":"a","stdin":"1","expected":"1"}]})");
                             }));
    }

    void testManifestRules() {
        auto code = [](const std::string& m) { return codeOf([&] { bundle::parseManifest(m); }); };
        const std::string head = R"({"id":"t","title":"T","statement":"s.md",)";
        CPPUNIT_ASSERT_EQUAL(std::string("accepted"), code(kManifest));
        CPPUNIT_ASSERT_EQUAL(std::string("missing_field"),
                             code(R"({"title":"T","statement":"s.md","tests":[]})"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_manifest"), code(head + R"("tests":[]})"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("invalid_manifest"),
            code(
                R"({"id":"Bad Id","title":"T","statement":"s.md","tests":[{"name":"a","stdin":"1","expected":"1"}]})"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("invalid_manifest"),
            code(head + R"("tests":[{"name":"a","expected":"1"},{"name":"a","expected":"2"}]})"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("invalid_manifest"),
            code(head + R"("tests":[{"name":"a","expected":"1","compare":"fuzzy"}]})"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("invalid_manifest"),
            code(head + R"("tests":[{"name":"a","expected":"(","compare":"regex"}]})"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_manifest"),
                             code(head + R"("tests":[{"name":"a","type":"unittest"}]})"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_manifest"),
                             code(head + R"("tests":[{"name":"a","expected":"1","weight":-1}]})"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("invalid_manifest"),
            code(
                head +
                R"("tests":[{"name":"a","expected":"1","requires":["b"]},{"name":"b","expected":"1"}]})"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("accepted"),
            code(
                head +
                R"("tests":[{"name":"a","expected":"1"},{"name":"b","expected":"1","requires":{"any":["a"]}}]})"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("invalid_manifest"),
            code(head + R"("limits":{"time_s":0},"tests":[{"name":"a","expected":"1"}]})"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("invalid_manifest"),
            code(head + R"("pace":{"seconds":[0,-5]},"tests":[{"name":"a","expected":"1"}]})"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("invalid_field"),
            code(head + R"("max_score":"ten","tests":[{"name":"a","expected":"1"}]})"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("unsafe_path"),
            code(
                R"({"id":"t","title":"T","statement":"../s.md","tests":[{"name":"a","expected":"1"}]})"));
        CPPUNIT_ASSERT_EQUAL(
            std::string("unsafe_path"),
            code(head + R"("starter":["/etc/passwd"],"tests":[{"name":"a","expected":"1"}]})"));
    }

    void testMissingReferencedFile() {
        CPPUNIT_ASSERT_EQUAL(std::string("missing_file"), codeOf([] {
                                 bundle::loadZipBytes(test::zip({{"assignment.json", kManifest}}));
                             }));
        const std::string m =
            R"({"id":"t","title":"T","statement":"s.md","solution":["solution/main.py"],
                                  "tests":[{"name":"a","stdin":"1","expected":"1"}]})";
        CPPUNIT_ASSERT_EQUAL(
            std::string("missing_file"), codeOf([&] {
                bundle::loadZipBytes(test::zip({{"assignment.json", m}, {"s.md", "x"}}));
            }));
    }

    void testTraversalAndAbsolutePathsInZip() {
        for (const char* name :
             {"../../etc/passwd", "/etc/passwd", "a/../../b", "a\\b", "C:/x", "./s.md", "a//b"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(
                name, std::string("unsafe_path"), codeOf([&] {
                    bundle::loadZipBytes(
                        test::zip({{"assignment.json", kManifest}, {"s.md", "x"}, {name, "evil"}}));
                }));
        CPPUNIT_ASSERT(!fs::exists("/etc/passwd.assay-test"));
    }

    void testSymlinks() {
        test::TempDir dir;
        test::writeFile(dir.file("assignment.json"), kManifest);
        test::writeFile(dir.file("s.md"), "x");
        fs::create_symlink("/etc/shadow", dir.file("secret"));
        CPPUNIT_ASSERT_EQUAL(std::string("symlink_in_bundle"),
                             codeOf([&] { bundle::loadDirectory(dir.path()); }));
        // A zip entry made on Unix with a symlink mode.
        const std::string z =
            test::zip({{"assignment.json", kManifest}, {"s.md", "x"}, {"link", "/etc/shadow"}},
                      /*symlinkName=*/"link");
        CPPUNIT_ASSERT_EQUAL(std::string("symlink_in_bundle"),
                             codeOf([&] { bundle::loadZipBytes(z); }));
    }

    void testZipBomb() {
        // A real 2 GiB entry of zeros, deflated to a few MiB.
        const std::string z =
            test::zipWithDeflatedZeros("assignment.json", kManifest, "big.bin", 2ull << 30);
        CPPUNIT_ASSERT(z.size() < 16u << 20);
        CPPUNIT_ASSERT_EQUAL(std::string("bundle_too_large"),
                             codeOf([&] { bundle::loadZipBytes(z); }));
    }

    void testLyingSizeHeader() {
        // The headers say 1 KiB; the data inflates to 64 MiB. Reading stops at the declared size.
        const std::string z =
            test::zipWithDeflatedZeros("assignment.json", kManifest, "big.bin", 64ull << 20, 1024);
        CPPUNIT_ASSERT_EQUAL(std::string("bundle_too_large"),
                             codeOf([&] { bundle::loadZipBytes(z); }));
    }

    void testRefusedImportWritesNothing() {
        test::TestHost host;
        auto a = host.adminClient();
        auto course = a.post("/api/v1/courses", R"({"code":"B","title":"Bundles"})");
        const std::string cid = std::to_string(course.json()->getValue<int64_t>("id"));
        const std::vector<std::string> bad = {
            test::zip({{"s.md", "x"}}),
            test::zip({{"assignment.json", "{"}, {"s.md", "x"}}),
            test::zip(
                {{"assignment.json", kManifest}, {"s.md", "x"}, {"../../etc/passwd", "root::0:0"}}),
            test::zip({{"assignment.json", kManifest}, {"s.md", "x"}, {"link", "/etc/shadow"}},
                      "link"),
            test::zipWithDeflatedZeros("assignment.json", kManifest, "big.bin", 2ull << 30),
        };
        for (const auto& z : bad) {
            auto r =
                a.request("POST", "/api/v1/courses/" + cid + "/assignments", z, "application/zip");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 400, r.status);
            CPPUNIT_ASSERT(!r.errorCode().empty());
        }
        auto list =
            a.get("/api/v1/courses/" + cid + "/assignments").json()->getArray("assignments");
        CPPUNIT_ASSERT_EQUAL(size_t{0}, list->size());
        CPPUNIT_ASSERT(!fs::exists(host.dataDir() + "/etc"));
        // Nothing besides the database appeared in the data directory.
        for (const auto& e : fs::directory_iterator(host.dataDir()))
            CPPUNIT_ASSERT_MESSAGE(e.path().string(),
                                   e.path().filename().string().rfind("test.db", 0) == 0 ||
                                       e.path().filename().string().rfind("assay.db", 0) == 0);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BundleTest);
