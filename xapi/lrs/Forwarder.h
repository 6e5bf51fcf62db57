// Sends the statements Assay emits to external LRSs: a persistent queue (one row per target
// and statement, written in the transaction that stored the statement), batches per target,
// retries with exponential backoff. Statement ids are fixed before the first try, so a retry
// after a lost answer never duplicates.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "Lrs.h"
#include "assay/xapi/XapiModule.h"

namespace assay::xapi {

class Forwarder {
  public:
    Forwarder(Host& host, Lrs& lrs, XapiModuleOptions options);
    ~Forwarder();

    // Queues the stored statements (id → verb IRI) for every target that wants them; runs
    // inside the storing transaction.
    void enqueue(db::Connection& c, const std::vector<std::string>& ids,
                 const std::map<std::string, std::string>& verbs);
    void kick();
    void start();
    void stop(int64_t graceMs);
    int deliverDue();  // sends what is due now; returns statements delivered
    int64_t backlog();

  private:
    void run();
    // POSTs one batch; throws with a reason on failure.
    void send(const Target& t, const std::vector<std::string>& bodies,
              const std::vector<std::string>& ids);

    Host& host_;
    Lrs& lrs_;
    XapiModuleOptions options_;
    prometheus::Family<prometheus::Counter>* sent_;
    prometheus::Family<prometheus::Counter>* failures_;
    prometheus::Family<prometheus::Gauge>* backlog_;
    std::mutex mutex_, deliverMutex_;
    std::condition_variable wake_;
    bool kicked_ = false;
    std::atomic<bool> running_{false};
    std::thread thread_;
};

}  // namespace assay::xapi
