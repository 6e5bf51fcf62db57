// The plugin host with real fixture libraries: every load failure has its own code and the
// host keeps serving; a good plugin works through the API; a failing one is disabled; an
// upgrade under concurrent calls loses no call and frees the old library only when unused.
#include <Poco/SHA2Engine.h>
#include <cppunit/extensions/HelperMacros.h>
#include <link.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "assay/core/plugins/plugin_manager.h"
#include "test_host.h"

using namespace assay;
namespace fs = std::filesystem;

namespace {

std::string fixtures() {
    const char* b = std::getenv("ASSAY_BINARY_DIR");
    return std::string(b ? b : ".") + "/tests/core/plugin_fixtures";
}

// Copies a fixture's library and manifest into `dir`.
void install(const std::string& fixture, const std::string& dir) {
    fs::create_directories(dir);
    for (const auto& e : fs::directory_iterator(fixtures() + "/" + fixture))
        fs::copy_file(e.path(), fs::path(dir) / e.path().filename(),
                      fs::copy_options::overwrite_existing);
}

std::string manifestFor(const std::string& name, const std::string& library,
                        const std::string& sha) {
    return R"({"name":")" + name + R"(","version":"1.0.0","abi":1,"library":")" + library +
           R"(","sha256":")" + sha + R"("})";
}

std::string sha256File(const std::string& path) {
    const std::string text = test::readFile(path);
    Poco::SHA2Engine e(Poco::SHA2Engine::SHA_256);
    e.update(text.data(), static_cast<unsigned>(text.size()));
    return Poco::DigestEngine::digestToHex(e.digest());
}

bool mapped(const std::string& needle) {
    struct Ctx {
        std::string needle;
        bool found = false;
    } ctx{needle, false};
    dl_iterate_phdr(
        [](dl_phdr_info* info, size_t, void* data) {
            auto* c = static_cast<Ctx*>(data);
            if (info->dlpi_name &&
                std::string(info->dlpi_name).find(c->needle) != std::string::npos)
                c->found = true;
            return 0;
        },
        &ctx);
    return ctx.found;
}

}  // namespace

class PluginTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginTest);
    CPPUNIT_TEST(testEachLoadFailureHasItsOwnCode);
    CPPUNIT_TEST(testGoodPluginThroughTheApi);
    CPPUNIT_TEST(testFailingPluginIsDisabledAndHostKeepsServing);
    CPPUNIT_TEST(testEnableDisablePersist);
    CPPUNIT_TEST(testUpgradeUnderConcurrentCalls);
    CPPUNIT_TEST(testOldLibraryReleasedOnlyWhenUnused);
    CPPUNIT_TEST(testUnknownConfigKeyRefused);
    CPPUNIT_TEST_SUITE_END();

  public:
    void setUp() override { host_ = std::make_unique<test::TestHost>(); }
    void tearDown() override { host_.reset(); }

    void testEachLoadFailureHasItsOwnCode() {
        auto a = host_->adminClient();
        test::TempDir dir;
        auto code = [&](const std::string& path) {
            auto r = a.post("/api/v1/plugins/load", "{\"path\":\"" + path + "\"}");
            CPPUNIT_ASSERT_MESSAGE(r.body, r.status == 422 || r.status == 404);
            return r.errorCode();
        };
        install("wrong-abi", dir.file("wrong-abi"));
        CPPUNIT_ASSERT_EQUAL(std::string("plugin_abi_mismatch"),
                             code(dir.file("wrong-abi/test.wrongabi.json")));
        install("no-entry", dir.file("no-entry"));
        CPPUNIT_ASSERT_EQUAL(std::string("plugin_missing_entry_point"),
                             code(dir.file("no-entry/test.noentry.json")));
        install("throws", dir.file("throws"));
        CPPUNIT_ASSERT_EQUAL(std::string("plugin_create_failed"),
                             code(dir.file("throws/test.throws.json")));

        // A truncated library whose manifest matches it: it is an ELF file that cannot load.
        install("good-v1", dir.file("trunc"));
        const std::string lib = dir.file("trunc/test.good.so");
        const std::string bytes = test::readFile(lib);
        test::writeFile(lib, bytes.substr(0, bytes.size() / 3));
        test::writeFile(dir.file("trunc/test.good.json"),
                        manifestFor("test.good", "test.good.so", sha256File(lib)));
        CPPUNIT_ASSERT_EQUAL(std::string("plugin_corrupt_library"),
                             code(dir.file("trunc/test.good.json")));

        // Not a shared library at all.
        test::writeFile(dir.file("text/test.text.so"), "#!/bin/sh\necho not a library\n");
        test::writeFile(
            dir.file("text/test.text.json"),
            manifestFor("test.text", "test.text.so", sha256File(dir.file("text/test.text.so"))));
        CPPUNIT_ASSERT_EQUAL(std::string("plugin_not_a_library"),
                             code(dir.file("text/test.text.json")));

        // A manifest whose checksum does not match the library.
        install("good-v1", dir.file("sum"));
        test::writeFile(dir.file("sum/test.good.json"),
                        manifestFor("test.good", "test.good.so", std::string(64, 'a')));
        CPPUNIT_ASSERT_EQUAL(std::string("plugin_checksum_mismatch"),
                             code(dir.file("sum/test.good.json")));

        // A broken manifest, and a missing one.
        test::writeFile(dir.file("bad/x.json"), "{\"name\":\"Bad Name!\"}");
        CPPUNIT_ASSERT_EQUAL(std::string("plugin_manifest_invalid"), code(dir.file("bad/x.json")));
        CPPUNIT_ASSERT_EQUAL(std::string("plugin_not_found"), code(dir.file("nothing/here.json")));

        // The host still serves, and lists the failures.
        CPPUNIT_ASSERT_EQUAL(200, a.get("/api/v1/courses").status);
        auto list = a.get("/api/v1/plugins").json()->getArray("plugins");
        int failedCount = 0;
        for (size_t i = 0; i < list->size(); ++i)
            failedCount += list->getObject(i)->getValue<std::string>("state") == "failed";
        CPPUNIT_ASSERT(failedCount >= 4);
    }

    void testGoodPluginThroughTheApi() {
        auto a = host_->adminClient();
        install("good-v1", host_->dataDir() + "/plugins");
        auto r = a.post("/api/v1/plugins/load", R"({"name":"test.good"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), r.json()->getValue<std::string>("version"));
        auto s = host_->userClient("sam", Role::Student);
        auto an = s.post("/api/v1/analyze", R"({"files":{"main.py":"print(1)\n"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(an.body, 200, an.status);
        CPPUNIT_ASSERT(an.body.find("seen by version 1.0.0") != std::string::npos);
        CPPUNIT_ASSERT(an.body.find("\"version\":\"2.1.0\"") != std::string::npos);
        auto h = a.get("/healthz").json()->getObject("plugins");
        CPPUNIT_ASSERT_EQUAL(1, h->getValue<int>("enabled"));
        CPPUNIT_ASSERT(
            a.get("/metrics")
                .body.find("assay_plugin_counter{metric=\"analyses\",plugin=\"test.good\"} 1") !=
            std::string::npos);
    }

    void testFailingPluginIsDisabledAndHostKeepsServing() {
        test::TempDir dir;
        Config cfg = test::testConfig(dir.path());
        test::TestDatabase tdb("sqlite");
        cfg.set("db.url", tdb.url());
        cfg.set("plugin.test.good.fail", "always");
        install("good-v1", dir.path() + "/plugins");
        Host host(cfg);
        host.open();  // scans the plugin directory
        host.start();
        test::HttpClient c(host.port());
        auto admin = host.store().findUserByName("admin");
        host.store().setPassword(admin->id, host.auth().hashPassword("admin-password-1"), false);
        c.login("admin", "admin-password-1");
        for (int i = 0; i < 7; ++i) {
            auto r = c.post("/api/v1/analyze", R"({"files":{"a.py":"x"}})");
            CPPUNIT_ASSERT_EQUAL(200,
                                 r.status);  // the host answers; the analysis is marked incomplete
            if (i < 5) CPPUNIT_ASSERT(r.body.find("test.good") != std::string::npos);
        }
        auto info = host.plugins().info("test.good");
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), info->state);
        CPPUNIT_ASSERT_EQUAL(5, info->failures);  // disabled after 5; later calls skip it
        auto health = c.get("/healthz").json()->getObject("plugins");
        CPPUNIT_ASSERT_EQUAL(1, health->getValue<int>("failed"));
        CPPUNIT_ASSERT(
            c.get("/metrics").body.find("assay_plugin_failures_total{plugin=\"test.good\"} 5") !=
            std::string::npos);
        host.stop(500);
    }

    void testEnableDisablePersist() {
        auto a = host_->adminClient();
        install("good-v1", host_->dataDir() + "/plugins");
        CPPUNIT_ASSERT_EQUAL(200, a.post("/api/v1/plugins/load", R"({"name":"test.good"})").status);
        CPPUNIT_ASSERT_EQUAL(200, a.post("/api/v1/plugins/test.good/disable", "").status);
        CPPUNIT_ASSERT(!host_->host().plugins().get("test.good"));
        auto an = a.post("/api/v1/analyze", R"({"files":{"main.py":"x"}})");
        CPPUNIT_ASSERT(an.body.find("seen by version") == std::string::npos);
        // Still disabled after a reload.
        CPPUNIT_ASSERT_EQUAL(200, a.post("/api/v1/plugins/load", R"({"name":"test.good"})").status);
        CPPUNIT_ASSERT_EQUAL(
            std::string("disabled"),
            a.get("/api/v1/plugins/test.good").json()->getValue<std::string>("state"));
        CPPUNIT_ASSERT_EQUAL(200, a.post("/api/v1/plugins/test.good/enable", "").status);
        CPPUNIT_ASSERT(host_->host().plugins().get("test.good"));
        CPPUNIT_ASSERT_EQUAL(404, a.post("/api/v1/plugins/no.such/enable", "").status);
        auto s = host_->userClient("sam", Role::Student);
        CPPUNIT_ASSERT_EQUAL(403, s.get("/api/v1/plugins").status);
    }

    void testUpgradeUnderConcurrentCalls() {
        auto& pm = host_->host().plugins();
        test::TempDir dir;
        install("good-v1", dir.file("v1"));
        install("good-v2", dir.file("v2"));
        pm.load(dir.file("v1/test.good.json"));
        std::atomic<bool> stop{false};
        std::atomic<int> calls{0}, failures{0}, v2seen{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                plugin::AnalysisRequest req;
                req.files.push_back({"a.py", "x"});
                while (!stop) {
                    auto p = pm.get("test.good");
                    if (!p) {
                        ++failures;
                        continue;
                    }
                    plugin::AnalysisResult r;
                    if (!pm.call(p, "analyze",
                                 [&](plugin::Plugin& pl) { r = pl.analyzer()->analyze(req); }))
                        ++failures;
                    if (r.sarifRunJson.find("seen by version 2.0.0") != std::string::npos) ++v2seen;
                    ++calls;
                }
            });
        for (int i = 0; i < 20; ++i) {
            pm.load(dir.file(i % 2 == 0 ? "v2/test.good.json" : "v1/test.good.json"));
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        pm.load(dir.file("v2/test.good.json"));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        stop = true;
        for (auto& t : threads)
            t.join();
        CPPUNIT_ASSERT_EQUAL(0, failures.load());
        CPPUNIT_ASSERT(calls.load() > 100);
        CPPUNIT_ASSERT(v2seen.load() > 0);
        CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"), pm.get("test.good")->version());
    }

    void testOldLibraryReleasedOnlyWhenUnused() {
        auto& pm = host_->host().plugins();
        test::TempDir dir;
        install("good-v1", dir.file("v1"));
        install("good-v2", dir.file("v2"));
        pm.load(dir.file("v1/test.good.json"));
        const std::string v1sha = sha256File(dir.file("v1/test.good.so"));
        auto held = pm.get("test.good");  // a call still using version 1
        pm.load(dir.file("v2/test.good.json"));
        CPPUNIT_ASSERT(mapped(v1sha));
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), held->version());
        plugin::AnalysisRequest req;
        plugin::AnalysisResult r = held->instance().analyzer()->analyze(req);
        CPPUNIT_ASSERT(r.sarifRunJson.find("1.0.0") != std::string::npos);
        held.reset();
        CPPUNIT_ASSERT(!mapped(v1sha));
        CPPUNIT_ASSERT(mapped(sha256File(dir.file("v2/test.good.so"))));
    }

    void testUnknownConfigKeyRefused() {
        test::TempDir dir;
        test::TestDatabase tdb("sqlite");
        Config cfg = test::testConfig(dir.path(), tdb.url());
        cfg.set("plugin.test.good.colour", "blue");
        install("good-v1", dir.path() + "/plugins");
        Host host(cfg);
        host.open();
        auto info = host.plugins().info("test.good");
        CPPUNIT_ASSERT(info);
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), info->state);
        CPPUNIT_ASSERT(info->lastError.find("config_invalid") == 0);
        CPPUNIT_ASSERT(info->lastError.find("'colour'") != std::string::npos);
    }

  private:
    std::unique_ptr<test::TestHost> host_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginTest);
