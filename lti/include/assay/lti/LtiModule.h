#pragma once
// LTI 1.3 and LTI Advantage inside assayd: the /lti/* endpoints, the platform registry and its
// admin API, just-in-time provisioning, deep linking, AGS grade passback from the outbox and
// NRPS roster sync. Tool keys live under data_dir/keys.
#include <memory>
#include <string>
#include <vector>

#include "assay/core/module.h"

namespace assay::lti {

struct Services;

class LtiModule final : public Module {
  public:
    LtiModule();
    ~LtiModule() override;
    std::string name() const override;
    std::vector<db::Migration> migrations() const override;
    void open(Host& host) override;
    void stop(Host& host, int64_t graceMs) override;

  private:
    std::unique_ptr<Services> services_;
};

}  // namespace assay::lti
