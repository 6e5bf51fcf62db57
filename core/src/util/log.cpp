#include "assay/core/log.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/FileChannel.h>
#include <Poco/Formatter.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Message.h>

#include <cstdio>

namespace assay::log {
namespace {

thread_local std::string tlsRequestId;

const char* levelName(Poco::Message::Priority p) {
    switch (p) {
        case Poco::Message::PRIO_FATAL:
        case Poco::Message::PRIO_CRITICAL:
            return "fatal  ";
        case Poco::Message::PRIO_ERROR:
            return "error  ";
        case Poco::Message::PRIO_WARNING:
            return "warning";
        case Poco::Message::PRIO_NOTICE:
        case Poco::Message::PRIO_INFORMATION:
            return "info   ";
        default:
            return "debug  ";
    }
}

class LineFormatter : public Poco::Formatter {
  public:
    void format(const Poco::Message& msg, std::string& text) override {
        text = Poco::DateTimeFormatter::format(msg.getTime(), "%Y-%m-%dT%H:%M:%S.%iZ");
        text += ' ';
        text += levelName(msg.getPriority());
        text += ' ';
        text += msg.getSource();
        if (msg.has("req")) {
            text += " req=";
            text += msg.get("req");
        }
        text += ' ';
        // Keep one event on one line.
        for (char c : msg.getText())
            text += (c == '\n' || c == '\r') ? ' ' : c;
    }
};

// Adds the thread's request id to each message before it is formatted.
class RequestIdChannel : public Poco::Channel {
  public:
    explicit RequestIdChannel(Poco::AutoPtr<Poco::Channel> next) : next_(std::move(next)) {}
    void log(const Poco::Message& msg) override {
        if (tlsRequestId.empty()) return next_->log(msg);
        Poco::Message copy(msg);
        copy.set("req", tlsRequestId);
        next_->log(copy);
    }

  private:
    Poco::AutoPtr<Poco::Channel> next_;
};

int priorityOf(const std::string& level) {
    if (level == "debug") return Poco::Message::PRIO_DEBUG;
    if (level == "warning") return Poco::Message::PRIO_WARNING;
    if (level == "error") return Poco::Message::PRIO_ERROR;
    return Poco::Message::PRIO_INFORMATION;
}

}  // namespace

void setup(const std::string& level, const std::string& file) {
    Poco::AutoPtr<Poco::Channel> sink;
    if (file.empty()) {
        sink = new Poco::ConsoleChannel;
    } else {
        Poco::AutoPtr<Poco::FileChannel> fc(new Poco::FileChannel(file));
        fc->setProperty("rotation", "50 M");
        fc->setProperty("archive", "timestamp");
        fc->setProperty("purgeCount", "10");
        sink = fc;
    }
    Poco::AutoPtr<Poco::FormattingChannel> fmt(
        new Poco::FormattingChannel(new LineFormatter, sink));
    Poco::AutoPtr<Poco::Channel> channel(new RequestIdChannel(fmt));
    Poco::Logger::root().setChannel(channel);
    Poco::Logger::root().setLevel(priorityOf(level));
    // Loggers created before setup() inherit nothing; bring them in line.
    std::vector<std::string> names;
    Poco::Logger::names(names);
    for (const auto& n : names) {
        Poco::Logger::get(n).setChannel(channel);
        Poco::Logger::get(n).setLevel(priorityOf(level));
    }
}

Poco::Logger& get(const std::string& component) {
    return Poco::Logger::get(component);
}

const std::string& requestId() {
    return tlsRequestId;
}

RequestScope::RequestScope(std::string id) : previous_(std::move(tlsRequestId)) {
    tlsRequestId = std::move(id);
}
RequestScope::~RequestScope() {
    tlsRequestId = std::move(previous_);
}

std::string redactUrl(const std::string& url) {
    auto scheme = url.find("://");
    auto at = url.find('@');
    if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
    auto colon = url.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace assay::log
