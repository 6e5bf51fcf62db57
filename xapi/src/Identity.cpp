#include "assay/xapi/Identity.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <cctype>
#include <stdexcept>

#include "JsonAccess.h"
#include "assay/xapi/Syntax.h"

namespace assay::xapi {

using detail::memberObject;
using detail::memberString;

std::string Ifi::key() const {
    switch (kind) {
        case Kind::Mbox: {
            // The domain of an e-mail address is case-insensitive.
            std::string v = value;
            const size_t at = v.rfind('@');
            if (at != std::string::npos) {
                for (size_t i = at; i < v.size(); ++i) {
                    v[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(v[i])));
                }
            }
            return "mbox:" + v;
        }
        case Kind::MboxSha1: {
            std::string v = value;
            for (char& c : v)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return "mbox_sha1sum:" + v;
        }
        case Kind::OpenId:
            return "openid:" + value;
        case Kind::Account:
            return "account:" + homePage + " " + value;
    }
    return {};
}

std::optional<Ifi> ifiOf(const Poco::JSON::Object& actor) {
    if (const auto* s = memberString(actor, "mbox")) return Ifi{Ifi::Kind::Mbox, *s, {}};
    if (const auto* s = memberString(actor, "mbox_sha1sum"))
        return Ifi{Ifi::Kind::MboxSha1, *s, {}};
    if (const auto* s = memberString(actor, "openid")) return Ifi{Ifi::Kind::OpenId, *s, {}};
    if (auto account = memberObject(actor, "account")) {
        const auto* home = memberString(*account, "homePage");
        const auto* name = memberString(*account, "name");
        if (home && name) return Ifi{Ifi::Kind::Account, *name, *home};
    }
    return std::nullopt;
}

namespace {

std::string formatUuid(const std::array<unsigned char, 16>& b) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += kHex[b[i] >> 4];
        out += kHex[b[i] & 0xf];
    }
    return out;
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string randomUuid() {
    std::array<unsigned char, 16> b{};
    if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) {
        throw std::runtime_error("no randomness available for a UUID");
    }
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
    return formatUuid(b);
}

std::string nameBasedUuid(std::string_view namespaceUuid, std::string_view name) {
    if (!isUuid(namespaceUuid)) throw std::invalid_argument("namespace is not a UUID");
    std::string input;
    input.reserve(16 + name.size());
    for (size_t i = 0; i < namespaceUuid.size(); ++i) {
        if (namespaceUuid[i] == '-') continue;
        input +=
            static_cast<char>(hexValue(namespaceUuid[i]) * 16 + hexValue(namespaceUuid[i + 1]));
        ++i;
    }
    input.append(name);
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
    std::array<unsigned char, 16> b{};
    for (size_t i = 0; i < 16; ++i)
        b[i] = digest[i];
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x50);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
    return formatUuid(b);
}

}  // namespace assay::xapi
