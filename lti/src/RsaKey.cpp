#include "assay/lti/RsaKey.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "assay/lti/Base64Url.h"
#include "assay/lti/Error.h"

namespace assay::lti {
namespace {

// Largest modulus accepted from outside: keeps verification cost bounded.
constexpr int kMaxBits = 8192;
constexpr int kMinBits = 2048;
constexpr int kPbkdf2Iterations = 200000;

std::string opensslReason() {
    const unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (e == 0) return "unknown OpenSSL error";
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    return buf;
}

[[noreturn]] void fail(ErrorCode code, const std::string& what) {
    throw LtiError(code, what + ": " + opensslReason());
}

struct BioFree {
    void operator()(BIO* b) const { BIO_free(b); }
};
struct BnFree {
    void operator()(BIGNUM* b) const { BN_free(b); }
};
struct CtxFree {
    void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BldFree {
    void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
    void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

std::shared_ptr<EVP_PKEY> own(EVP_PKEY* k) {
    return std::shared_ptr<EVP_PKEY>(k, EVP_PKEY_free);
}

std::string bioContents(BIO* bio) {
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<size_t>(len));
}

void requireRsa(EVP_PKEY* key, ErrorCode code) {
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) throw LtiError(code, "key is not an RSA key");
    const int bits = EVP_PKEY_get_bits(key);
    if (bits < kMinBits || bits > kMaxBits)
        throw LtiError(code, "RSA key size " + std::to_string(bits) + " outside 2048..8192");
}

std::string bnParamB64u(EVP_PKEY* key, const char* name) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) != 1)
        fail(ErrorCode::CryptoFailure, "read RSA parameter");
    BnPtr bn(raw);
    std::string bytes(static_cast<size_t>(BN_num_bytes(bn.get())), '\0');
    BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()));
    return base64UrlEncode(bytes);
}

int passwordCallback(char* buf, int size, int /*rwflag*/, void* userdata) {
    const auto* pass = static_cast<const std::string*>(userdata);
    if (pass == nullptr || pass->empty() || static_cast<int>(pass->size()) > size) return -1;
    std::copy(pass->begin(), pass->end(), buf);
    return static_cast<int>(pass->size());
}

}  // namespace

RsaKey::RsaKey(std::shared_ptr<EVP_PKEY> key, bool hasPrivate)
    : key_(std::move(key)), hasPrivate_(hasPrivate) {}

RsaKey RsaKey::generate(int bits) {
    if (bits < kMinBits || bits > kMaxBits)
        throw LtiError(ErrorCode::InvalidArgument, "RSA key size must be within 2048..8192");
    std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) != 1)
        fail(ErrorCode::CryptoFailure, "RSA key generation setup");
    EVP_PKEY* key = nullptr;
    if (EVP_PKEY_generate(ctx.get(), &key) != 1)
        fail(ErrorCode::CryptoFailure, "RSA key generation");
    return RsaKey(own(key), true);
}

RsaKey RsaKey::fromModulusExponent(std::string_view nB64u, std::string_view eB64u) {
    const auto n = base64UrlDecode(nB64u);
    const auto e = base64UrlDecode(eB64u);
    if (!n || !e || n->empty() || e->empty())
        throw LtiError(ErrorCode::JwkInvalid, "JWK n/e are not base64url");
    if (n->size() > kMaxBits / 8 + 1 || e->size() > 8)
        throw LtiError(ErrorCode::JwkInvalid, "JWK n/e too large");
    BnPtr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()),
                       static_cast<int>(n->size()), nullptr));
    BnPtr be(BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()),
                       static_cast<int>(e->size()), nullptr));
    if (!bn || !be) fail(ErrorCode::CryptoFailure, "BIGNUM allocation");
    // A public exponent must be odd and greater than 1 (3 or 65537 in practice).
    if (!BN_is_odd(be.get()) || BN_is_one(be.get()) || !BN_is_odd(bn.get()))
        throw LtiError(ErrorCode::JwkInvalid, "JWK n/e are not a plausible RSA public key");

    std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
    if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, be.get()) != 1)
        fail(ErrorCode::CryptoFailure, "RSA parameter build");
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
    std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1)
        fail(ErrorCode::CryptoFailure, "RSA import setup");
    EVP_PKEY* key = nullptr;
    if (EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        fail(ErrorCode::JwkInvalid, "RSA public key import");
    auto owned = own(key);
    requireRsa(key, ErrorCode::JwkInvalid);
    return RsaKey(std::move(owned), false);
}

RsaKey RsaKey::fromPrivatePem(const std::string& pem, const std::string& passphrase) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) fail(ErrorCode::CryptoFailure, "BIO allocation");
    const bool encrypted = pem.find("BEGIN ENCRYPTED PRIVATE KEY") != std::string::npos;
    if (encrypted && passphrase.empty())
        throw LtiError(ErrorCode::KeysSecret,
                       "private key is encrypted and no secret is configured");
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, passwordCallback,
                                            const_cast<std::string*>(&passphrase));
    if (key == nullptr) {
        if (encrypted)
            fail(ErrorCode::KeysSecret, "private key could not be decrypted (wrong secret?)");
        fail(ErrorCode::KeyInvalid, "private key PEM");
    }
    auto owned = own(key);
    requireRsa(key, ErrorCode::KeyInvalid);
    return RsaKey(std::move(owned), true);
}

RsaKey RsaKey::fromPublicPem(const std::string& pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) fail(ErrorCode::CryptoFailure, "BIO allocation");
    EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
    if (key == nullptr) fail(ErrorCode::KeyInvalid, "public key PEM");
    auto owned = own(key);
    requireRsa(key, ErrorCode::KeyInvalid);
    return RsaKey(std::move(owned), false);
}

int RsaKey::bits() const {
    return EVP_PKEY_get_bits(key_.get());
}

std::string RsaKey::privatePem(const std::string& passphrase) const {
    if (!hasPrivate_) throw LtiError(ErrorCode::InvalidArgument, "key has no private half");
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio) fail(ErrorCode::CryptoFailure, "BIO allocation");
    if (passphrase.empty()) {
        if (PEM_write_bio_PKCS8PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr,
                                          nullptr) != 1)
            fail(ErrorCode::CryptoFailure, "private key PEM encoding");
        return bioContents(bio.get());
    }
    // PBES2: AES-256-CBC with a PBKDF2 (HMAC-SHA256) key, far more iterations than the
    // library default, since the secret may be a passphrase.
    std::unique_ptr<PKCS8_PRIV_KEY_INFO, decltype(&PKCS8_PRIV_KEY_INFO_free)> info(
        EVP_PKEY2PKCS8(key_.get()), PKCS8_PRIV_KEY_INFO_free);
    if (!info) fail(ErrorCode::CryptoFailure, "PKCS#8 conversion");
    std::unique_ptr<X509_SIG, decltype(&X509_SIG_free)> sealed(
        PKCS8_encrypt(-1, EVP_aes_256_cbc(), passphrase.data(), static_cast<int>(passphrase.size()),
                      nullptr, 0, kPbkdf2Iterations, info.get()),
        X509_SIG_free);
    if (!sealed || PEM_write_bio_PKCS8(bio.get(), sealed.get()) != 1)
        fail(ErrorCode::CryptoFailure, "private key encryption");
    return bioContents(bio.get());
}

std::string RsaKey::publicPem() const {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1)
        fail(ErrorCode::CryptoFailure, "public key PEM encoding");
    return bioContents(bio.get());
}

std::string RsaKey::modulusB64u() const {
    return bnParamB64u(key_.get(), OSSL_PKEY_PARAM_RSA_N);
}
std::string RsaKey::exponentB64u() const {
    return bnParamB64u(key_.get(), OSSL_PKEY_PARAM_RSA_E);
}

std::string RsaKey::thumbprint() const {
    // RFC 7638: the required members in lexicographic order, no whitespace.
    const std::string canonical =
        R"({"e":")" + exponentB64u() + R"(","kty":"RSA","n":")" + modulusB64u() + R"("})";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(canonical.data(), canonical.size(), digest, &len, EVP_sha256(), nullptr) != 1)
        fail(ErrorCode::CryptoFailure, "SHA-256");
    return base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

std::string RsaKey::signSha256(std::string_view data) const {
    if (!hasPrivate_) throw LtiError(ErrorCode::InvalidArgument, "key has no private half");
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1)
        fail(ErrorCode::CryptoFailure, "sign setup");
    size_t len = 0;
    const auto* in = reinterpret_cast<const unsigned char*>(data.data());
    if (EVP_DigestSign(ctx.get(), nullptr, &len, in, data.size()) != 1)
        fail(ErrorCode::CryptoFailure, "sign size");
    std::string sig(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                       data.size()) != 1)
        fail(ErrorCode::CryptoFailure, "sign");
    sig.resize(len);
    return sig;
}

bool RsaKey::verifySha256(std::string_view data, std::string_view signature) const {
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1)
        fail(ErrorCode::CryptoFailure, "verify setup");
    const int rc = EVP_DigestVerify(
        ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
        reinterpret_cast<const unsigned char*>(data.data()), data.size());
    ERR_clear_error();
    return rc == 1;
}

}  // namespace assay::lti
