#include "assay/xapi/Syntax.h"

#include <array>
#include <cstdio>

namespace assay::xapi {

namespace {

bool isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isAlnum(char c) {
    return isAlpha(c) || isDigit(c);
}
bool isHexDigit(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

bool allOf(std::string_view s, bool (*pred)(char)) {
    for (char c : s) {
        if (!pred(c)) return false;
    }
    return true;
}

// Subtag iterator over a '-' separated tag.
struct Subtags {
    std::string_view rest;
    bool done = false;
    std::string_view next() {
        const size_t dash = rest.find('-');
        std::string_view tag = rest.substr(0, dash);
        if (dash == std::string_view::npos) {
            rest = {};
            done = true;
        } else {
            rest.remove_prefix(dash + 1);
        }
        return tag;
    }
    std::string_view peek() const { return rest.substr(0, rest.find('-')); }
};

constexpr std::array<std::string_view, 17> kIrregular = {
    "en-GB-oed", "i-ami", "i-bnn",     "i-default", "i-enochian", "i-hak",
    "i-klingon", "i-lux", "i-mingo",   "i-navajo",  "i-pwn",      "i-tao",
    "i-tay",     "i-tsu", "sgn-BE-FR", "sgn-BE-NL", "sgn-CH-DE"};

int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool leapYear(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int daysInMonth(int y, int m) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leapYear(y) ? 29 : kDays[m - 1];
}

// Reads exactly n digits at s[pos]; advances pos.
bool digits(std::string_view s, size_t& pos, size_t n, int& out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (size_t i = 0; i < n; ++i) {
        const char c = s[pos + i];
        if (!isDigit(c)) return false;
        v = v * 10 + (c - '0');
    }
    pos += n;
    out = v;
    return true;
}

bool expect(std::string_view s, size_t& pos, char c) {
    if (pos >= s.size() || s[pos] != c) return false;
    ++pos;
    return true;
}

}  // namespace

bool isAbsoluteIri(std::string_view s) {
    if (s.empty() || !isAlpha(s[0])) return false;
    size_t i = 1;
    while (i < s.size() && (isAlnum(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
        ++i;
    if (i >= s.size() || s[i] != ':') return false;
    ++i;
    if (i >= s.size()) return false;
    for (; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c <= 0x20 || c == 0x7f) return false;
        switch (c) {
            case '<':
            case '>':
            case '"':
            case '{':
            case '}':
            case '|':
            case '\\':
            case '^':
            case '`':
                return false;
            case '%':
                if (i + 2 >= s.size() || !isHexDigit(s[i + 1]) || !isHexDigit(s[i + 2])) {
                    return false;
                }
                i += 2;
                break;
            default:
                break;
        }
    }
    return true;
}

bool isUuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (size_t i = 0; i < 36; ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') return false;
        } else if (!isHexDigit(s[i])) {
            return false;
        }
    }
    return true;
}

bool isMailtoIri(std::string_view s) {
    if (s.size() < 10 || s.substr(0, 7) != "mailto:") return false;
    const std::string_view addr = s.substr(7);
    const size_t at = addr.find('@');
    if (at == 0 || at == std::string_view::npos || at + 1 >= addr.size()) return false;
    if (addr.find('@', at + 1) != std::string_view::npos) return false;
    return isAbsoluteIri(s);
}

bool isHex(std::string_view s, size_t n) {
    return s.size() == n && allOf(s, isHexDigit);
}

bool isSha2Hex(std::string_view s) {
    return (s.size() == 56 || s.size() == 64 || s.size() == 96 || s.size() == 128) &&
           allOf(s, isHexDigit);
}

bool isLanguageTag(std::string_view s) {
    if (s.empty() || s.size() > 128) return false;
    for (auto irregular : kIrregular) {
        if (iequals(s, irregular)) return true;
    }
    Subtags it{s};
    // Every subtag: 1-8 alphanumerics.
    {
        Subtags check{s};
        while (!check.done) {
            auto t = check.next();
            if (t.empty() || t.size() > 8 || !allOf(t, isAlnum)) return false;
        }
    }
    auto privateUse = [&]() {
        if (it.done) return false;  // "x" needs at least one subtag
        while (!it.done)
            it.next();
        return true;
    };
    std::string_view t = it.next();
    if (iequals(t, "x")) return privateUse();
    if (!allOf(t, isAlpha) || t.size() < 2) return false;
    if (t.size() <= 3) {
        for (int n = 0; n < 3 && !it.done; ++n) {  // extlang
            auto p = it.peek();
            if (p.size() == 3 && allOf(p, isAlpha))
                it.next();
            else
                break;
        }
    }
    if (it.done) return true;
    t = it.next();
    if (t.size() == 4 && allOf(t, isAlpha)) {  // script
        if (it.done) return true;
        t = it.next();
    }
    if ((t.size() == 2 && allOf(t, isAlpha)) || (t.size() == 3 && allOf(t, isDigit))) {  // region
        if (it.done) return true;
        t = it.next();
    }
    // Variants and extension singletons must not repeat (RFC 5646 2.2.5, 2.2.6).
    std::array<std::string_view, 8> variants{};
    size_t variantCount = 0;
    while ((t.size() >= 5) || (t.size() == 4 && isDigit(t[0]))) {  // variants
        for (size_t i = 0; i < variantCount; ++i) {
            if (iequals(variants[i], t)) return false;
        }
        if (variantCount == variants.size()) return false;
        variants[variantCount++] = t;
        if (it.done) return true;
        t = it.next();
    }
    uint64_t singletons = 0;                     // one bit per letter / digit seen
    while (t.size() == 1 && !iequals(t, "x")) {  // extensions
        const char c = lower(t[0]);
        const uint64_t bit = uint64_t{1} << (isDigit(c) ? 26 + (c - '0') : c - 'a');
        if (singletons & bit) return false;
        singletons |= bit;
        if (it.done) return false;
        int count = 0;
        while (!it.done && it.peek().size() >= 2) {
            it.next();
            ++count;
        }
        if (count == 0) return false;
        if (it.done) return true;
        t = it.next();
    }
    if (iequals(t, "x")) return privateUse();
    return false;
}

bool isMediaType(std::string_view s) {
    auto tokenChar = [](char c) {
        return isAlnum(c) || c == '!' || c == '#' || c == '$' || c == '&' || c == '-' || c == '^' ||
               c == '_' || c == '.' || c == '+';
    };
    size_t i = 0;
    while (i < s.size() && tokenChar(s[i]))
        ++i;
    if (i == 0 || i >= s.size() || s[i] != '/') return false;
    const size_t start = ++i;
    while (i < s.size() && tokenChar(s[i]))
        ++i;
    if (i == start) return false;
    for (; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f) return false;
    }
    return s.size() == i && (i == s.size());
}

std::optional<int64_t> parseTimestamp(std::string_view s, bool requireZone) {
    size_t p = 0;
    int year, month, day, hour, minute, second;
    // ISO 8601 extended (2024-05-01T10:00:00) or basic (20240501T100000) format.
    const bool extended = s.size() > 4 && s[4] == '-';
    auto separator = [&](char c) { return !extended || expect(s, p, c); };
    if (!digits(s, p, 4, year) || !separator('-') || !digits(s, p, 2, month) || !separator('-') ||
        !digits(s, p, 2, day)) {
        return std::nullopt;
    }
    // RFC 3339 allows a space in place of the 'T'.
    if (p >= s.size() || (s[p] != 'T' && s[p] != 't' && s[p] != ' ')) return std::nullopt;
    ++p;
    if (!digits(s, p, 2, hour) || !separator(':') || !digits(s, p, 2, minute) || !separator(':') ||
        !digits(s, p, 2, second)) {
        return std::nullopt;
    }
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 ||
        minute > 59 || second > 60) {
        return std::nullopt;
    }
    int millis = 0;
    if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
        ++p;
        size_t n = 0;
        while (p < s.size() && isDigit(s[p])) {
            if (n < 3) millis = millis * 10 + (s[p] - '0');
            ++n;
            ++p;
        }
        if (n == 0) return std::nullopt;
        for (size_t k = n; k < 3; ++k)
            millis *= 10;
    }
    int offsetMinutes = 0;
    if (p == s.size()) {
        if (requireZone) return std::nullopt;
    } else if (s[p] == 'Z' || s[p] == 'z') {
        ++p;
    } else if (s[p] == '+' || s[p] == '-') {
        const bool negative = s[p] == '-';
        ++p;
        int oh = 0, om = 0;
        if (!digits(s, p, 2, oh)) return std::nullopt;
        if (p < s.size()) {
            if (s[p] == ':') ++p;
            if (!digits(s, p, 2, om)) return std::nullopt;
        }
        if (oh > 23 || om > 59) return std::nullopt;
        if (negative && oh == 0 && om == 0) return std::nullopt;  // unknown local offset
        offsetMinutes = (negative ? -1 : 1) * (oh * 60 + om);
    } else {
        return std::nullopt;
    }
    if (p != s.size()) return std::nullopt;
    const int64_t days =
        daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    const int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second -
                         static_cast<int64_t>(offsetMinutes) * 60;
    return secs * 1000 + millis;
}

bool isDuration(std::string_view s) {
    if (s.size() < 3 || s[0] != 'P') return false;
    size_t p = 1;
    // Reads "<number><designator>"; returns the designator or 0.
    bool fractionSeen = false;
    auto component = [&](char& designator) {
        const size_t start = p;
        while (p < s.size() && isDigit(s[p]))
            ++p;
        if (p == start) return false;
        if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
            const size_t f = ++p;
            while (p < s.size() && isDigit(s[p]))
                ++p;
            if (p == f) return false;
            fractionSeen = true;
        }
        if (p >= s.size()) return false;
        designator = s[p++];
        return true;
    };
    static constexpr std::string_view kDate = "YMD";
    static constexpr std::string_view kTime = "HMS";
    size_t order = 0;
    int count = 0;
    bool inTime = false;
    while (p < s.size()) {
        if (fractionSeen) return false;  // only the last component may have a fraction
        if (s[p] == 'T') {
            if (inTime) return false;
            inTime = true;
            order = 0;
            ++p;
            if (p >= s.size()) return false;
            continue;
        }
        char d = 0;
        if (!component(d)) return false;
        if (d == 'W') {
            return !inTime && count == 0 && p == s.size();
        }
        const std::string_view units = inTime ? kTime : kDate;
        const size_t at = units.find(d, order);
        if (at == std::string_view::npos) return false;
        order = at + 1;
        ++count;
    }
    return count > 0 && !(inTime && order == 0);
}

std::string formatTimestamp(int64_t epochMillis) {
    int64_t ms = epochMillis % 1000;
    int64_t secs = epochMillis / 1000;
    if (ms < 0) {
        ms += 1000;
        --secs;
    }
    int64_t days = secs / 86400;
    int64_t rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    const int64_t z = days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t y0 = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const int64_t y = y0 + (m <= 2);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                  static_cast<long long>((rem % 3600) / 60), static_cast<long long>(rem % 60),
                  static_cast<long long>(ms));
    return buf;
}

}  // namespace assay::xapi
