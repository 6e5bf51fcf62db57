#pragma once
// Small cryptographic helpers over OpenSSL: random secrets, hashes, password KDF.
#include <string>
#include <string_view>

namespace assay::crypto {

std::string randomBytes(size_t n);
std::string randomToken(size_t bytes = 32);  // base64url, no padding
std::string base64url(std::string_view bytes);
std::string sha256Hex(std::string_view data);
bool constantTimeEquals(std::string_view a, std::string_view b);

// "pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>"
std::string hashPassword(std::string_view password, int iterations);
bool verifyPassword(std::string_view password, const std::string& stored);

}  // namespace assay::crypto
