// Turns the host's events into the statements Assay emits, with ids fixed by the event id
// so that a repeated delivery produces the very same statements.
#pragma once

#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

#include "assay/plugin/types.h"
#include "assay/xapi/StatementBuilder.h"

namespace assay::xapi {

class EventStatements {
  public:
    explicit EventStatements(BuilderConfig config) : config_(config), builder_(std::move(config)) {}
    // submission.created, submission.graded, assignment.published, lti.launch.
    static bool handles(const std::string& eventType);
    // The statements for one event (empty when the payload lacks what a statement needs).
    std::vector<Poco::JSON::Object::Ptr> build(const plugin::Event& event) const;

  private:
    BuilderConfig config_;
    StatementBuilder builder_;
};

}  // namespace assay::xapi
