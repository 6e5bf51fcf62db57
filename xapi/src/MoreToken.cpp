#include "assay/xapi/MoreToken.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>

#include <charconv>
#include <stdexcept>

#include "Base64.h"
#include "assay/xapi/Syntax.h"

namespace assay::xapi {

namespace {

constexpr std::string_view kPrefix = "m1.";

std::string mac(std::string_view key, std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len)) {
        throw std::runtime_error("HMAC failed");
    }
    return std::string(reinterpret_cast<char*>(out), len);
}

XapiError invalid(std::string message) {
    return makeError(ErrorCode::InvalidMoreToken, std::move(message), "more");
}

bool readInt(std::string_view& rest, int64_t& out) {
    const size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) return false;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + nl, out);
    if (ec != std::errc() || end != rest.data() + nl) return false;
    rest.remove_prefix(nl + 1);
    return true;
}

}  // namespace

std::string encodeMoreToken(const PageCursor& c, std::string_view key) {
    if (key.size() < 16) throw std::invalid_argument("the paging key must have 16 bytes or more");
    std::string payload = std::to_string(c.storedMillis) + "\n" +
                          std::to_string(c.consistentThrough) + "\n" + c.statementId + "\n" +
                          c.query;
    std::string body = std::string(kPrefix) + detail::base64UrlEncode(payload);
    return body + "." + detail::base64UrlEncode(mac(key, body));
}

std::variant<PageCursor, XapiError> decodeMoreToken(std::string_view token, std::string_view key) {
    if (token.size() > 16384 || token.substr(0, kPrefix.size()) != kPrefix) {
        return invalid("unknown paging token format");
    }
    const size_t dot = token.rfind('.');
    if (dot < kPrefix.size()) return invalid("the paging token is incomplete");
    const std::string_view body = token.substr(0, dot);
    // Compared in encoded form so that no second spelling of the same tag is accepted.
    const std::string_view tag = token.substr(dot + 1);
    const std::string expected = detail::base64UrlEncode(mac(key, body));
    if (tag.size() != expected.size() ||
        CRYPTO_memcmp(tag.data(), expected.data(), expected.size()) != 0) {
        return invalid("the paging token was not issued by this LRS or was altered");
    }
    const auto payload = detail::base64Decode(body.substr(kPrefix.size()));
    if (!payload) return invalid("the paging token is damaged");
    std::string_view rest = *payload;
    PageCursor c;
    if (!readInt(rest, c.storedMillis) || !readInt(rest, c.consistentThrough)) {
        return invalid("the paging token is damaged");
    }
    const size_t nl = rest.find('\n');
    if (nl == std::string_view::npos || !isUuid(rest.substr(0, nl))) {
        return invalid("the paging token is damaged");
    }
    c.statementId = std::string(rest.substr(0, nl));
    c.query = std::string(rest.substr(nl + 1));
    return c;
}

}  // namespace assay::xapi
