#pragma once
// A module of the appliance (lti, xapi, grading, ...) plugged into the host: its own schema,
// routes, health checks, outbox sinks and background work.
#include <string>
#include <vector>

#include "assay/core/store/migrations.h"

namespace assay {

class Host;

class Module {
  public:
    virtual ~Module() = default;
    virtual std::string name() const = 0;
    // The module's schema; applied after the core's when the host opens the database.
    virtual std::vector<db::Migration> migrations() const { return {}; }
    // After the database is open and migrated: register routes, health checks, sinks.
    virtual void open(Host& host) { (void)host; }
    // After the HTTP server started: start background threads.
    virtual void start(Host& host) { (void)host; }
    // Before the store closes, after the HTTP server stopped accepting: finish or persist work
    // within `graceMs`.
    virtual void stop(Host& host, int64_t graceMs) {
        (void)host;
        (void)graceMs;
    }
};

}  // namespace assay
