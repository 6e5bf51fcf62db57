// The vendor walkthrough of docs/plugins.md, for real: install the SDK, build the example out
// of tree against it, drop it into a running server's plugin directory, load it through the
// API and the CLI, and see it work.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/wait.h>

#include <array>
#include <filesystem>

#include "test_host.h"

using namespace assay;
namespace fs = std::filesystem;

namespace {

std::string binaryDir() {
    const char* b = std::getenv("ASSAY_BINARY_DIR");
    return b ? b : ".";
}

std::pair<int, std::string> sh(const std::string& cmd) {
    std::string out;
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
        out.append(buf.data(), n);
    const int status = pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace

class VendorPluginTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(VendorPluginTest);
    CPPUNIT_TEST(testBuildOutOfTreeInstallLoadAndUse);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testBuildOutOfTreeInstallLoadAndUse() {
        test::TempDir work;
        const std::string sdk = work.file("sdk"), build = work.file("build"),
                          inst = work.file("inst");
        auto r = sh("cmake --install " + binaryDir() + " --component sdk --prefix " + sdk);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.second, 0, r.first);
        CPPUNIT_ASSERT(fs::exists(sdk + "/include/assay/plugin/sdk.h"));
        // Only the SDK's headers are installed: nothing of the host's internals.
        CPPUNIT_ASSERT(!fs::exists(sdk + "/include/assay/core"));
        r = sh("cmake -S " + test::sourceDir() + "/plugins/examples/line-length -B " + build +
               " -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=" + sdk +
               " -DCMAKE_INSTALL_PREFIX=" + inst);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.second, 0, r.first);
        r = sh("cmake --build " + build + " && cmake --install " + build);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.second, 0, r.first);
        CPPUNIT_ASSERT(fs::exists(inst + "/plugins/edu.example.linelength.so"));
        CPPUNIT_ASSERT(fs::exists(inst + "/plugins/edu.example.linelength.json"));

        test::TestHost host;
        const std::string pluginDir = host.dataDir() + "/plugins";
        fs::create_directories(pluginDir);
        for (const auto& e : fs::directory_iterator(inst + "/plugins"))
            fs::copy_file(e.path(), pluginDir + "/" + e.path().filename().string());

        // Through the CLI, with an administrator's token, against the running server.
        auto admin = host.adminClient();
        const std::string token = admin.post("/api/v1/tokens", R"({"name":"cli"})")
                                      .json()
                                      ->getValue<std::string>("token");
        const std::string cli =
            binaryDir() + "/core/assay --server http://127.0.0.1:" + std::to_string(host.port()) +
            " --token " + token + " ";
        r = sh(cli + "plugins load edu.example.linelength");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.second, 0, r.first);
        CPPUNIT_ASSERT(r.second.find("edu.example.linelength 1.0.0: enabled") != std::string::npos);
        r = sh(cli + "plugins list");
        CPPUNIT_ASSERT(r.second.find("edu.example.linelength\t1.0.0\tenabled\tanalyzer") !=
                       std::string::npos);

        auto student = host.userClient("sam", Role::Student);
        const std::string longLine = "x = " + std::string(90, '1') + "\\n";
        auto a = student.post("/api/v1/analyze",
                              "{\"files\":{\"main.py\":\"print(1)\\n" + longLine + "\"}}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(a.body, 200, a.status);
        CPPUNIT_ASSERT_MESSAGE(a.body, a.body.find("\"ruleId\":\"LL001\"") != std::string::npos);
        CPPUNIT_ASSERT(a.body.find("Line 2 has 94 characters") != std::string::npos);

        r = sh(cli + "plugins disable edu.example.linelength");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.second, 0, r.first);
        a = student.post("/api/v1/analyze", "{\"files\":{\"main.py\":\"" + longLine + "\"}}");
        CPPUNIT_ASSERT(a.body.find("LL001") == std::string::npos);
        r = sh(cli + "plugins enable nobody.here");
        CPPUNIT_ASSERT_EQUAL(1, r.first);
        CPPUNIT_ASSERT(r.second.find("[not_found]") != std::string::npos);
        r = sh(binaryDir() + "/core/assay --server http://127.0.0.1:" +
               std::to_string(host.port()) + " --token wrong plugins list");
        CPPUNIT_ASSERT_EQUAL(1, r.first);
        CPPUNIT_ASSERT(r.second.find("[invalid_token]") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(VendorPluginTest);
