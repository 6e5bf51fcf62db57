#pragma once
// A running host with the LTI module, on a fresh database, for the end-to-end tests.
#include <memory>
#include <string>

#include "assay/core/host.h"
#include "test_host.h"

namespace assay::lti::test {

class LtiTestHost {
  public:
    explicit LtiTestHost(const std::string& engine = "sqlite");
    ~LtiTestHost();
    Host& host() { return *host_; }
    std::string base() const { return host_->baseUrl(); }
    assay::test::HttpClient adminClient();  // signed in as admin
    // Rows in a table (to prove a refused launch created nothing).
    std::int64_t count(const std::string& table);

  private:
    assay::test::TempDir dir_;
    std::unique_ptr<assay::test::TestDatabase> db_;
    std::unique_ptr<Host> host_;
};

}  // namespace assay::lti::test

#include "Browser.h"
#include "FakeLms.h"

namespace assay::lti::test {

// Registers the fake LMS through the admin API (as an administrator would by hand).
void registerByApi(LtiTestHost& host, FakeLms& lms);

// Student claims in the LMS's shape, aimed at this host, with an AGS line item on the fake LMS.
Poco::JSON::Object::Ptr studentClaims(LtiTestHost& host, FakeLms& lms, const std::string& nonce,
                                      const std::string& assignmentId);

// The browser's part of a launch: /lti/login (GET) -> the LMS's authorization endpoint -> its
// auto-posted form to /lti/launch. Returns Assay's answer to that post.
Page launch(Browser& browser, LtiTestHost& host, FakeLms& lms,
            const std::map<std::string, std::string>& extraLoginParams = {});

}  // namespace assay::lti::test
