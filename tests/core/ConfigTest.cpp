// Configuration: defaults, files, overrides, and refusals that name the key.
#include <cppunit/extensions/HelperMacros.h>

#include "assay/core/config.h"

using namespace assay;

namespace {

std::string refusal(const std::string& text) {
    Config c;
    try {
        c.loadString(text, "test.conf");
    } catch (const ConfigError& e) {
        return e.key() + " | " + e.what();
    }
    return "";
}

}  // namespace

class ConfigTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConfigTest);
    CPPUNIT_TEST(testDefaults);
    CPPUNIT_TEST(testFileWithSections);
    CPPUNIT_TEST(testUnknownKeyIsNamed);
    CPPUNIT_TEST(testBadValuesAreNamed);
    CPPUNIT_TEST(testUnitsAndDerivedValues);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testDefaults() {
        Config c;
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), c.listenHost());
        CPPUNIT_ASSERT_EQUAL(8080, c.listenPort());
        CPPUNIT_ASSERT_EQUAL(std::string("./var"), c.dataDir());
        CPPUNIT_ASSERT_EQUAL(std::string("sqlite:./var/assay.db"), c.databaseUrl());
        CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:8080"), c.publicUrl());
        for (const auto& k : Config::schema()) {
            Config fresh;
            fresh.set(k.name, k.defaultValue);  // every default is itself valid
        }
    }

    void testFileWithSections() {
        Config c;
        c.loadString(
            "# comment\nlisten = 0.0.0.0:9000\n[db]\npool_size = 16\nurl = "
            "mysql://a:b@h:3306/x\n[log]\nlevel=debug\n");
        CPPUNIT_ASSERT_EQUAL(9000, c.listenPort());
        CPPUNIT_ASSERT_EQUAL(int64_t{16}, c.integer("db.pool_size"));
        CPPUNIT_ASSERT_EQUAL(std::string("mysql://a:b@h:3306/x"), c.databaseUrl());
        CPPUNIT_ASSERT(c.isSet("log.level"));
        CPPUNIT_ASSERT(!c.isSet("data_dir"));
    }

    void testUnknownKeyIsNamed() {
        auto r = refusal("listen = 127.0.0.1:1\nlisten_port = 80\n");
        CPPUNIT_ASSERT(r.rfind("listen_port | ", 0) == 0);
        CPPUNIT_ASSERT(r.find("test.conf:2") != std::string::npos);
        r = refusal("[db]\npoolsize = 3\n");
        CPPUNIT_ASSERT(r.rfind("db.poolsize | ", 0) == 0);
    }

    void testBadValuesAreNamed() {
        const std::vector<std::pair<std::string, std::string>> cases = {
            {"listen = localhost", "listen"},
            {"listen = 1.2.3.4:99999", "listen"},
            {"db.pool_size = 0", "db.pool_size"},
            {"db.pool_size = many", "db.pool_size"},
            {"log.level = loud", "log.level"},
            {"http.max_body = 12 parsecs", "http.max_body"},
            {"auth.session_ttl = 5x", "auth.session_ttl"},
            {"public_url = ftp://x", "public_url"},
            {"shutdown.grace = 2d", "shutdown.grace"},
        };
        for (const auto& [text, key] : cases) {
            auto r = refusal(text);
            CPPUNIT_ASSERT_MESSAGE(text + " -> " + r, r.rfind(key + " | ", 0) == 0);
            CPPUNIT_ASSERT_MESSAGE(r, r.find("'" + key + "'") != std::string::npos);
        }
        CPPUNIT_ASSERT(!refusal("no equals sign here").empty());
        CPPUNIT_ASSERT(!refusal("[broken\n").empty());
    }

    void testUnitsAndDerivedValues() {
        CPPUNIT_ASSERT_EQUAL(int64_t{1500}, parseDurationMs("1500ms"));
        CPPUNIT_ASSERT_EQUAL(int64_t{90'000}, parseDurationMs("90"));
        CPPUNIT_ASSERT_EQUAL(int64_t{7'200'000}, parseDurationMs("2h"));
        CPPUNIT_ASSERT_EQUAL(int64_t{16} << 20, parseSize("16MiB"));
        CPPUNIT_ASSERT_EQUAL(int64_t{1000}, parseSize("1kb"));
        CPPUNIT_ASSERT_THROW(parseSize("99999999999999999999GiB"), std::invalid_argument);
        Config c;
        c.set("public_url", "https://assay.example.edu/");
        CPPUNIT_ASSERT_EQUAL(std::string("https://assay.example.edu"), c.publicUrl());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigTest);
