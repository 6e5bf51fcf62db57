#include "Forwarder.h"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/URI.h>

#include <sstream>

#include "assay/core/log.h"
#include "assay/xapi/Serialise.h"

namespace assay::xapi {
namespace {

std::string basic(const std::string& user, const std::string& password) {
    std::ostringstream os;
    Poco::Base64Encoder enc(os);
    enc.rdbuf()->setLineLength(0);
    enc << user << ':' << password;
    enc.close();
    return "Basic " + os.str();
}

struct Reply {
    int status = 0;
    std::string body;
};

Reply call(const std::string& url, const std::string& method, const std::string& body,
           const Target& t, int64_t timeoutMs) {
    Poco::URI uri(url);
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https") {
        // The system's CAs; the peer certificate and host name are verified.
        static const Poco::Net::Context::Ptr tls = new Poco::Net::Context(
            Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_RELAXED, 9, true);
        session =
            std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tls);
    } else {
        session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    session->setTimeout(Poco::Timespan(timeoutMs * 1000));
    Poco::Net::HTTPRequest req(method, uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
    req.set("X-Experience-API-Version", "1.0.3");
    if (!t.username.empty()) req.set("Authorization", basic(t.username, t.password));
    req.setContentType("application/json");
    req.setContentLength64(static_cast<int64_t>(body.size()));
    session->sendRequest(req) << body;
    Poco::Net::HTTPResponse resp;
    std::istream& is = session->receiveResponse(resp);
    Reply r;
    r.status = resp.getStatus();
    std::ostringstream ss;
    ss << is.rdbuf();
    r.body = ss.str().substr(0, 300);
    return r;
}

// What goes to another LRS: the statement without the properties that LRS sets itself.
std::string outgoing(const std::string& stored) {
    Poco::JSON::Parser p;
    auto s = p.parse(stored).extract<Poco::JSON::Object::Ptr>();
    s->remove("stored");
    s->remove("authority");
    return toJson(*s);
}

}  // namespace

Forwarder::Forwarder(Host& host, Lrs& lrs, XapiModuleOptions options)
    : host_(host), lrs_(lrs), options_(options) {
    auto& reg = host.metrics().registry();
    sent_ = &prometheus::BuildCounter()
                 .Name("assay_xapi_forwarded_statements_total")
                 .Help("Statements delivered to external LRSs, by target")
                 .Register(reg);
    failures_ = &prometheus::BuildCounter()
                     .Name("assay_xapi_forward_failures_total")
                     .Help("Failed batch deliveries to external LRSs, by target")
                     .Register(reg);
    backlog_ = &prometheus::BuildGauge()
                    .Name("assay_xapi_forward_backlog")
                    .Help("Statements waiting to be delivered to an external LRS, by target")
                    .Register(reg);
    host.metrics().onScrape([this] {
        try {
            for (const auto& r : host_.database().acquire()->query(
                     "SELECT target_id, COUNT(*) FROM xapi_forward_queue GROUP BY target_id"))
                backlog_->Add({{"target", std::to_string(r.integer(0))}})
                    .Set(static_cast<double>(r.integer(1)));
        } catch (const std::exception&) {
        }
    });
}

Forwarder::~Forwarder() {
    stop(0);
}

void Forwarder::enqueue(db::Connection& c, const std::vector<std::string>& ids,
                        const std::map<std::string, std::string>& verbs) {
    // On the storing transaction's own connection: no second connection while it is open.
    const int64_t now = nowMillis();
    for (const auto& row : c.query("SELECT id, verbs FROM xapi_targets ORDER BY id")) {
        Target t;
        t.id = row.integer(0);
        Poco::JSON::Parser p;
        auto arr = p.parse(row.text(1)).extract<Poco::JSON::Array::Ptr>();
        for (size_t i = 0; i < arr->size(); ++i)
            t.verbs.push_back(arr->getElement<std::string>(static_cast<unsigned>(i)));
        for (const auto& id : ids) {
            auto v = verbs.find(id);
            if (v != verbs.end() && !t.wants(v->second)) continue;
            c.execute(
                "INSERT INTO xapi_forward_queue (target_id, statement_id, attempts, due_ms) VALUES "
                "(?, ?, 0, ?)",
                {t.id, id, now});
        }
    }
}

void Forwarder::kick() {
    {
        std::lock_guard lock(mutex_);
        kicked_ = true;
    }
    wake_.notify_all();
}

void Forwarder::start() {
    if (running_.exchange(true)) return;
    thread_ = std::thread([this] { run(); });
}

void Forwarder::stop(int64_t graceMs) {
    if (!running_.exchange(false)) return;
    kick();
    if (thread_.joinable()) thread_.join();
    if (graceMs > 0) {
        try {
            deliverDue();
        } catch (const std::exception&) {
        }
    }
}

void Forwarder::run() {
    while (running_) {
        try {
            deliverDue();
        } catch (const std::exception& e) {
            log::get("xapi").warning(std::string("forwarding pass failed: ") + e.what());
        }
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, std::chrono::milliseconds(options_.forwardPollMs),
                       [this] { return kicked_ || !running_; });
        kicked_ = false;
    }
}

int64_t Forwarder::backlog() {
    auto rows = host_.database().acquire()->query("SELECT COUNT(*) FROM xapi_forward_queue");
    return rows.empty() ? 0 : rows[0].integer(0);
}

void Forwarder::send(const Target& t, const std::vector<std::string>& bodies,
                     const std::vector<std::string>& ids) {
    std::string batch = "[";
    for (size_t i = 0; i < bodies.size(); ++i)
        batch += (i ? "," : "") + bodies[i];
    batch += "]";
    auto r = call(t.endpoint + "statements", "POST", batch, t, options_.forwardTimeoutMs);
    if (r.status == 200 || r.status == 204) return;
    if (r.status != 409)
        throw std::runtime_error("HTTP " + std::to_string(r.status) + ": " + r.body);
    // Some statement of the batch is there already (an earlier try whose answer was lost):
    // PUT each one; 409 for an id means the target has it.
    for (size_t i = 0; i < bodies.size(); ++i) {
        auto one = call(t.endpoint + "statements?statementId=" + ids[i], "PUT", bodies[i], t,
                        options_.forwardTimeoutMs);
        if (one.status != 204 && one.status != 200 && one.status != 409)
            throw std::runtime_error("HTTP " + std::to_string(one.status) + ": " + one.body);
    }
}

int Forwarder::deliverDue() {
    std::lock_guard guard(deliverMutex_);
    int delivered = 0;
    auto& db = host_.database();
    for (const auto& t : lrs_.targets().list()) {
        for (;;) {
            const int64_t now = nowMillis();
            auto rows = db.acquire()->query(
                "SELECT id, statement_id, attempts FROM xapi_forward_queue WHERE target_id = ? AND "
                "due_ms <= ? "
                "ORDER BY id LIMIT " +
                    std::to_string(options_.forwardBatch),
                {t.id, now});
            if (rows.empty()) break;
            std::vector<std::string> ids;
            for (const auto& r : rows)
                ids.push_back(r.text(1));
            std::vector<std::string> bodies, sentIds;
            for (const auto& s : lrs_.statements().byIds(ids)) {
                bodies.push_back(outgoing(s.body));
                sentIds.push_back(s.id);
            }
            std::string rowIds;
            for (const auto& r : rows)
                rowIds += (rowIds.empty() ? "" : ",") + std::to_string(r.integer(0));
            try {
                if (!bodies.empty()) send(t, bodies, sentIds);
            } catch (const std::exception& e) {
                failures_->Add({{"target", std::to_string(t.id)}}).Increment();
                const int attempts = static_cast<int>(rows[0].integer(2)) + 1;
                int64_t delay = options_.retryBaseMs;
                for (int i = 1; i < attempts && delay < options_.retryMaxMs; ++i)
                    delay *= 2;
                delay = std::min(delay, options_.retryMaxMs);
                db.acquire()->execute(
                    "UPDATE xapi_forward_queue SET attempts = attempts + 1, due_ms = ?, last_error "
                    "= ? "
                    "WHERE id IN (" +
                        rowIds + ")",
                    {now + delay, std::string(e.what()).substr(0, 500)});
                log::get("xapi").warning("forwarding to " + t.endpoint + " failed (try " +
                                         std::to_string(attempts) + "): " + e.what());
                break;
            }
            db.acquire()->execute("DELETE FROM xapi_forward_queue WHERE id IN (" + rowIds + ")");
            sent_->Add({{"target", std::to_string(t.id)}})
                .Increment(static_cast<double>(bodies.size()));
            delivered += static_cast<int>(bodies.size());
        }
    }
    return delivered;
}

}  // namespace assay::xapi
