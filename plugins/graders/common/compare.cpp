#include "compare.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <regex>
#include <sstream>

namespace assay::graders {
namespace {

std::vector<std::string> lines(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == '\n') {
            out.push_back(cur);
            cur.clear();
        } else if (c != '\r') {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

std::string rtrim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.pop_back();
    return s;
}

// Lines without trailing blanks, and without trailing empty lines.
std::vector<std::string> normalisedLines(const std::string& s) {
    auto ls = lines(s);
    for (auto& l : ls)
        l = rtrim(l);
    while (!ls.empty() && ls.back().empty())
        ls.pop_back();
    return ls;
}

std::vector<std::string> tokens(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    std::string t;
    while (in >> t)
        out.push_back(t);
    return out;
}

bool parseNumber(const std::string& t, double& v) {
    if (t.empty()) return false;
    char* end = nullptr;
    v = std::strtod(t.c_str(), &end);
    return end == t.c_str() + t.size() && std::isfinite(v);
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

}  // namespace

bool outputMatches(const std::string& expected, const std::string& actual,
                   const CompareSpec& spec) {
    const std::string& m = spec.mode;
    if (m == "exact") return expected == actual;
    if (m == "trailing_whitespace") return normalisedLines(expected) == normalisedLines(actual);
    if (m == "whitespace") return tokens(expected) == tokens(actual);
    if (m == "case_insensitive")
        return normalisedLines(lower(expected)) == normalisedLines(lower(actual));
    if (m == "unordered_lines") {
        auto a = normalisedLines(expected), b = normalisedLines(actual);
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        return a == b;
    }
    if (m == "numeric") {
        auto a = tokens(expected), b = tokens(actual);
        if (a.size() != b.size()) return false;
        for (size_t i = 0; i < a.size(); ++i) {
            double x = 0, y = 0;
            if (parseNumber(a[i], x) && parseNumber(b[i], y)) {
                const double diff = std::fabs(x - y);
                if (diff <= spec.absTolerance || diff <= spec.relTolerance * std::fabs(x)) continue;
                if (spec.absTolerance == 0 && spec.relTolerance == 0 && x == y) continue;
                return false;
            }
            if (a[i] != b[i]) return false;
        }
        return true;
    }
    if (m == "regex") {
        try {
            // The whole output (without trailing newlines) must match.
            std::string out = actual;
            while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
                out.pop_back();
            return std::regex_match(out, std::regex(expected, std::regex::ECMAScript));
        } catch (const std::exception&) {
            return false;
        }
    }
    return false;
}

std::string lineDiff(const std::string& expected, const std::string& actual, size_t maxLines) {
    auto a = lines(expected), b = lines(actual);
    const size_t n = std::min<size_t>(a.size(), 400), m = std::min<size_t>(b.size(), 400);
    // Longest common subsequence over (at most) the first 400 lines of each.
    std::vector<std::vector<uint16_t>> L(n + 1, std::vector<uint16_t>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            L[i][j] = a[i] == b[j] ? L[i + 1][j + 1] + 1 : std::max(L[i + 1][j], L[i][j + 1]);
    std::string out;
    size_t i = 0, j = 0, emitted = 0;
    auto emit = [&](char tag, const std::string& line) {
        if (emitted++ < maxLines) out += std::string(1, tag) + " " + line + "\n";
    };
    while (i < n && j < m) {
        if (a[i] == b[j]) {
            emit(' ', a[i]);
            ++i;
            ++j;
        } else if (L[i + 1][j] >= L[i][j + 1]) {
            emit('-', a[i++]);
        } else {
            emit('+', b[j++]);
        }
    }
    while (i < n)
        emit('-', a[i++]);
    while (j < m)
        emit('+', b[j++]);
    if (emitted > maxLines) out += "… (" + std::to_string(emitted - maxLines) + " more lines)\n";
    return out;
}

}  // namespace assay::graders
