#include "outcome.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <random>
#include <vector>

namespace assay::graders {

RunLimits limitsFrom(const std::string& manifestJson) {
    RunLimits l;
    Poco::JSON::Parser p;
    auto m = p.parse(manifestJson).extract<Poco::JSON::Object::Ptr>();
    if (auto lim = m->getObject("limits")) {
        l.cpuSeconds = lim->optValue<double>("time_s", l.cpuSeconds);
        l.wallSeconds = lim->optValue<double>("wall_s", l.wallSeconds);
        l.memoryBytes = lim->optValue<int64_t>("memory_mb", 256) << 20;
        l.outputBytes = lim->optValue<int64_t>("output_kb", 64) << 10;
    }
    return l;
}

std::string entryFrom(const std::string& manifestJson) {
    Poco::JSON::Parser p;
    auto m = p.parse(manifestJson).extract<Poco::JSON::Object::Ptr>();
    return m->optValue<std::string>("entry", "main.py");
}

std::string newNonce() {
    std::ifstream in("/dev/urandom", std::ios::binary);
    unsigned char b[24];
    in.read(reinterpret_cast<char*>(b), sizeof b);
    static const char* hex = "0123456789abcdef";
    std::string out = "ASSAY-";
    for (unsigned char c : b) {
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

std::string framed(const std::string& output, const std::string& nonce) {
    // The harness prints nonce, payload, nonce on lines of their own, last of all.
    const std::string line = nonce + "\n";
    const auto first = output.find(line);
    const auto last = output.rfind(line);
    if (first == std::string::npos || last == first) return "";
    return output.substr(first + line.size(), last - first - line.size());
}

std::string lastLines(const std::string& text, size_t n) {
    std::vector<std::string> ls;
    std::string cur;
    for (char c : text) {
        if (c == '\n') {
            ls.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) ls.push_back(cur);
    std::string out;
    for (size_t i = ls.size() > n ? ls.size() - n : 0; i < ls.size(); ++i)
        out += ls[i] + "\n";
    return out;
}

}  // namespace assay::graders
