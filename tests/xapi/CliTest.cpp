// `assay lrs credentials` as an administrator runs it: credentials issued by the CLI into a
// data directory work against the LRS of an assayd on that directory, with their scopes;
// refusals (unknown scope, duplicate name, unknown name) are clear and exit non-zero.
#include "LrsHost.h"

#include <cppunit/extensions/HelperMacros.h>

#include <Poco/Base64Encoder.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <regex>
#include <sstream>

using namespace assay::test;

namespace {

struct Run {
    int code = -1;
    std::string out;
};

// The assay CLI on `dataDir`, stdout and stderr together.
Run cli(const std::string& dataDir, const std::string& args) {
    const char* b = std::getenv("ASSAY_BINARY_DIR");
    const std::string cmd =
        std::string(b ? b : ".") + "/core/assay --data-dir '" + dataDir + "' " + args + " 2>&1";
    Run r;
    FILE* p = ::popen(cmd.c_str(), "r");
    CPPUNIT_ASSERT(p != nullptr);
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
        r.out.append(buf.data(), n);
    const int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

// "key: K" and "secret: S" of `credentials add`, as an Authorization header value.
std::string basicFrom(const std::string& out) {
    std::smatch key, secret;
    const bool found = std::regex_search(out, key, std::regex(R"(key:\s+(\S+))")) &&
                       std::regex_search(out, secret, std::regex(R"(secret:\s+(\S+))"));
    CPPUNIT_ASSERT_MESSAGE(out, found);
    std::ostringstream os;
    Poco::Base64Encoder enc(os);
    enc.rdbuf()->setLineLength(0);
    enc << key[1].str() << ':' << secret[1].str();
    enc.close();
    return "Basic " + os.str();
}

std::string statement(const std::string& actor) {
    return R"({"actor":{"mbox":"mailto:)" + actor +
           R"(@example.org"},"verb":{"id":"http://adlnet.gov/expapi/verbs/attempted"},)"
           R"("object":{"id":"http://example.org/activities/a1"}})";
}

}  // namespace

class XapiCliTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(XapiCliTest);
    CPPUNIT_TEST(testIssuedCredentialsWorkWithTheirScopes);
    CPPUNIT_TEST(testRefusals);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testIssuedCredentialsWorkWithTheirScopes() {
        TempDir dir;
        const std::string db = "sqlite:" + dir.path() + "/assay.db";
        CPPUNIT_ASSERT_EQUAL(0, cli(dir.path(), "db migrate").code);
        const Run tool = cli(dir.path(),
                             "lrs credentials add tool --scope statements/write "
                             "--scope statements/read/mine");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tool.out, 0, tool.code);
        CPPUNIT_ASSERT(tool.out.find("cannot be shown again") != std::string::npos);
        const Run reader = cli(dir.path(), "lrs credentials add reader --scope statements/read");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reader.out, 0, reader.code);
        const Run list = cli(dir.path(), "lrs credentials list");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(list.out, 0, list.code);
        CPPUNIT_ASSERT_MESSAGE(list.out,
                               list.out.find("tool") != std::string::npos &&
                                   list.out.find("statements/read/mine") != std::string::npos);
        // The secret is never listed.
        std::smatch secret;
        std::regex_search(tool.out, secret, std::regex(R"(secret:\s+(\S+))"));
        CPPUNIT_ASSERT(list.out.find(secret[1].str()) == std::string::npos);

        LrsHost lrs(db, dir.path(), assay::xapi::XapiModuleOptions{});
        const std::string toolAuth = basicFrom(tool.out), readerAuth = basicFrom(reader.out);
        CPPUNIT_ASSERT_EQUAL(200, lrs.lrs("POST", "/xapi/statements", statement("ann")).status);
        CPPUNIT_ASSERT_EQUAL(
            200, lrs.lrs("POST", "/xapi/statements", statement("bob"), {{kLrsAuthHeader, toolAuth}})
                     .status);
        // statements/read/mine: only what this credential stored.
        auto mine = lrs.lrs("GET", "/xapi/statements", "", {{kLrsAuthHeader, toolAuth}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(mine.body, 200, mine.status);
        CPPUNIT_ASSERT(mine.body.find("bob@example.org") != std::string::npos);
        CPPUNIT_ASSERT(mine.body.find("ann@example.org") == std::string::npos);
        // statements/read: everything, and no writing.
        auto all = lrs.lrs("GET", "/xapi/statements", "", {{kLrsAuthHeader, readerAuth}});
        CPPUNIT_ASSERT_EQUAL(200, all.status);
        CPPUNIT_ASSERT(all.body.find("ann@example.org") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(403, lrs.lrs("POST", "/xapi/statements", statement("cy"),
                                          {{kLrsAuthHeader, readerAuth}})
                                      .status);

        // Revoked by name: refused from then on.
        const Run removed = cli(dir.path(), "lrs credentials remove reader");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(removed.out, 0, removed.code);
        CPPUNIT_ASSERT_EQUAL(
            401, lrs.lrs("GET", "/xapi/statements", "", {{kLrsAuthHeader, readerAuth}}).status);
    }

    void testRefusals() {
        TempDir dir;
        CPPUNIT_ASSERT_EQUAL(0, cli(dir.path(), "db migrate").code);
        const Run bogus = cli(dir.path(), "lrs credentials add x --scope statements/read/theirs");
        CPPUNIT_ASSERT(bogus.code != 0);
        CPPUNIT_ASSERT_MESSAGE(bogus.out,
                               bogus.out.find("xapi.unknown_scope") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(0, cli(dir.path(), "lrs credentials add moodle").code);
        const Run again = cli(dir.path(), "lrs credentials add moodle");
        CPPUNIT_ASSERT(again.code != 0);
        CPPUNIT_ASSERT_MESSAGE(again.out,
                               again.out.find("xapi.duplicate_name") != std::string::npos);
        CPPUNIT_ASSERT(again.out.find("secret") == std::string::npos);
        const Run gone = cli(dir.path(), "lrs credentials remove nobody");
        CPPUNIT_ASSERT(gone.code != 0);
        CPPUNIT_ASSERT_MESSAGE(gone.out, gone.out.find("nobody") != std::string::npos);
        const Run noName = cli(dir.path(), "lrs credentials add");
        CPPUNIT_ASSERT(noName.code != 0);
        // Exactly one credential came of all this.
        const Run list = cli(dir.path(), "lrs credentials list");
        CPPUNIT_ASSERT_EQUAL(std::string::npos, list.out.find('\n', list.out.find('\n') + 1));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(XapiCliTest);
