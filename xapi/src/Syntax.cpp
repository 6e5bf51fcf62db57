#include "assay/xapi/Syntax.h"

#include <array>

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

}  // namespace

// Characters an IRI may hold as they are: printable ASCII except space and <>"{}|\^`,
// plus every byte of a UTF-8 sequence. '%' is checked separately.
constexpr std::array<bool, 256> kIriPlain = [] {
    std::array<bool, 256> t{};
    for (int c = 0x21; c < 0x7f; ++c)
        t[static_cast<size_t>(c)] = true;
    for (unsigned char c : std::string_view("<>\"{}|\\^`%"))
        t[c] = false;
    for (int c = 0x80; c < 0x100; ++c)
        t[static_cast<size_t>(c)] = true;
    return t;
}();

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
        if (kIriPlain[c]) continue;
        if (c != '%' || i + 2 >= s.size() || !isHexDigit(s[i + 1]) || !isHexDigit(s[i + 2])) {
            return false;
        }
        i += 2;
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

}  // namespace assay::xapi
