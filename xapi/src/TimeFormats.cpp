// ISO 8601 timestamps and durations.
#include <cstdio>

#include "assay/xapi/Syntax.h"

namespace assay::xapi {

namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

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
    const int64_t secs = days * 86400 + int64_t{hour} * 3600 + int64_t{minute} * 60 + second -
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
