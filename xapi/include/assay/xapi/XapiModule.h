// The built-in Learning Record Store at /xapi/, its admin API (client credentials and
// forwarding targets) and the forwarder that turns Assay's events into statements and sends
// them to external LRSs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "assay/core/module.h"

namespace assay::xapi {

class Lrs;
class Forwarder;

struct XapiModuleOptions {
    size_t forwardBatch = 50;         // statements per POST to an external LRS
    int64_t forwardPollMs = 500;      // how often the forwarder looks for due work
    int64_t retryBaseMs = 1000;       // first retry delay; doubles per failure
    int64_t retryMaxMs = 5 * 60'000;  // longest delay between tries
    int64_t forwardTimeoutMs = 10'000;
};

class XapiModule : public Module {
  public:
    explicit XapiModule(XapiModuleOptions options = {});
    ~XapiModule() override;
    std::string name() const override { return "xapi"; }
    std::vector<db::Migration> migrations() const override;
    void open(Host& host) override;
    void start(Host& host) override;
    void stop(Host& host, int64_t graceMs) override;

    // For tests and shutdown: sends every due batch now on the calling thread.
    int forwardDue();
    int64_t forwardBacklog();

  private:
    XapiModuleOptions options_;
    std::unique_ptr<Lrs> lrs_;
    std::unique_ptr<Forwarder> forwarder_;
};

}  // namespace assay::xapi
