// PEP 263 decoding: BOM, coding cookie in line 1 or 2, conversion to UTF-8.
#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>

#include "assay/pyparse/SourceText.h"

namespace assay::pyparse {
namespace {

// Returns the cookie's encoding name if `line` is a comment line declaring one
// (the reference's form: '#' ... 'coding' [:=] spaces name).
std::optional<std::string> cookieIn(std::string_view line) {
    size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f'))
        ++i;
    if (i >= line.size() || line[i] != '#') return std::nullopt;
    const size_t at = line.find("coding", i);
    if (at == std::string_view::npos) return std::nullopt;
    size_t j = at + 6;
    if (j >= line.size() || (line[j] != ':' && line[j] != '=')) {
        // A later "coding" may still qualify (e.g. "# encoding coding: x").
        std::string rest(1, '#');
        rest.append(line.substr(at + 6));
        return cookieIn(rest);
    }
    ++j;
    while (j < line.size() && (line[j] == ' ' || line[j] == '\t'))
        ++j;
    size_t k = j;
    while (k < line.size() && (std::isalnum(static_cast<unsigned char>(line[k])) ||
                               line[k] == '-' || line[k] == '_' || line[k] == '.'))
        ++k;
    if (k == j) return std::nullopt;
    return std::string(line.substr(j, k - j));
}

// True if the line holds only whitespace and possibly a comment.
bool blankOrComment(std::string_view line) {
    for (char c : line) {
        if (c == '#') return true;
        if (c != ' ' && c != '\t' && c != '\f' && c != '\r') return false;
    }
    return true;
}

// Python's normalisation of encoding names for the common aliases.
std::string canonical(std::string name) {
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
        return static_cast<char>(c == '_' ? '-' : std::tolower(c));
    });
    // Like CPython's tokenizer, only these spellings are folded; others (utf8,
    // latin1) are looked up as codecs, which matters for the BOM check.
    if (name == "utf-8" || name.rfind("utf-8-", 0) == 0) return "utf-8";
    if (name == "latin-1" || name == "iso-8859-1" || name == "iso-latin-1" ||
        name.rfind("latin-1-", 0) == 0 || name.rfind("iso-8859-1-", 0) == 0 ||
        name.rfind("iso-latin-1-", 0) == 0)
        return "iso-8859-1";
    return name;
}

// Position (1-based line and column) of the first invalid UTF-8 sequence, if any.
std::optional<std::pair<int, int>> invalidUtf8(std::string_view s, size_t& badOffset) {
    int line = 1;
    size_t lineStart = 0;
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        size_t len = 0;
        uint32_t cp = 0;
        if (c < 0x80) {
            if (c == '\n') {
                ++line;
                lineStart = i + 1;
            }
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        }
        bool good = len != 0 && i + len <= s.size();
        for (size_t k = 1; good && k < len; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) good = false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (good) {
            const uint32_t minimum = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
            good = cp >= minimum && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
        }
        if (!good) {
            badOffset = i;
            return std::make_pair(line, static_cast<int>(i - lineStart) + 1);
        }
        i += len;
    }
    return std::nullopt;
}

std::optional<std::string> convertWithIconv(std::string_view in, const std::string& from) {
    iconv_t cd = iconv_open("UTF-8", from.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    std::unique_ptr<void, int (*)(iconv_t)> guard(cd, iconv_close);
    std::string out(in.size() * 4 + 16, '\0');
    char* src = const_cast<char*>(in.data());
    size_t srcLeft = in.size();
    char* dst = out.data();
    size_t dstLeft = out.size();
    while (srcLeft > 0) {
        if (iconv(cd, &src, &srcLeft, &dst, &dstLeft) == static_cast<size_t>(-1)) {
            if (errno != E2BIG) return std::nullopt;
            const size_t used = out.size() - dstLeft;
            out.resize(out.size() * 2);
            dst = out.data() + used;
            dstLeft = out.size() - used;
        }
    }
    out.resize(out.size() - dstLeft);
    return out;
}

std::string normaliseNewlines(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r') {
            out.push_back('\n');
            if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

}  // namespace

DecodedSource decodeSource(std::string_view bytes) {
    DecodedSource result;
    bool bom = false;
    if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
        bytes.remove_prefix(3);
        bom = true;
    }
    // The cookie may sit in line 1, or in line 2 when line 1 is blank or a comment.
    std::optional<std::string> cookie;
    const size_t end1 = bytes.find_first_of("\r\n");
    const std::string_view line1 = bytes.substr(0, end1);
    cookie = cookieIn(line1);
    if (!cookie && end1 != std::string_view::npos && blankOrComment(line1)) {
        size_t start2 = end1 + 1;
        if (bytes[end1] == '\r' && start2 < bytes.size() && bytes[start2] == '\n') ++start2;
        const std::string_view rest = bytes.substr(start2);
        cookie = cookieIn(rest.substr(0, rest.find_first_of("\r\n")));
    }
    std::string encoding = cookie ? canonical(*cookie) : "utf-8";
    result.encoding = encoding;
    if (bom && encoding != "utf-8") {
        result.error =
            SyntaxError{"SyntaxError", "encoding problem: " + *cookie + " with BOM", 1, 1};
        return result;
    }
    if (encoding == "utf-8") {
        size_t bad = 0;
        if (auto where = invalidUtf8(bytes, bad)) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(bytes[bad]));
            result.error =
                SyntaxError{"SyntaxError",
                            std::string("Non-UTF-8 code starting with '") + hex +
                                "' but no encoding declared; see https://peps.python.org/pep-0263/",
                            where->first, 1};
            return result;
        }
        result.text = normaliseNewlines(bytes);
        return result;
    }
    std::optional<std::string> converted;
    if (encoding == "ascii" || encoding == "us-ascii") {
        size_t i = 0;
        while (i < bytes.size() && static_cast<unsigned char>(bytes[i]) < 0x80)
            ++i;
        if (i == bytes.size()) converted = std::string(bytes);
    } else {
        std::string upper = encoding;
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        converted = convertWithIconv(bytes, upper);
        if (!converted) {
            // Distinguish an unknown codec from undecodable bytes.
            iconv_t probe = iconv_open("UTF-8", upper.c_str());
            if (probe == reinterpret_cast<iconv_t>(-1)) {
                result.error = SyntaxError{"SyntaxError", "unknown encoding: " + *cookie, 1, 1};
                return result;
            }
            iconv_close(probe);
        }
    }
    if (!converted) {
        result.error =
            SyntaxError{"SyntaxError",
                        "(unicode error) '" + encoding + "' codec can't decode the source", 1, 1};
        return result;
    }
    result.text = normaliseNewlines(*converted);
    return result;
}

}  // namespace assay::pyparse
