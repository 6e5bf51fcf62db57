#pragma once
// An RSA key (public, or private with its public half) held through OpenSSL 3's EVP API.
// Immutable and cheap to copy: copies share the same EVP_PKEY.
#include <memory>
#include <string>
#include <string_view>

typedef struct evp_pkey_st EVP_PKEY;

namespace assay::lti {

class RsaKey {
  public:
    // A fresh key pair; bits >= 2048.
    static RsaKey generate(int bits = 2048);
    // Public key from the base64url big-endian modulus and exponent of a JWK.
    static RsaKey fromModulusExponent(std::string_view nB64u, std::string_view eB64u);
    // PKCS#8 private key PEM; passphrase empty means the PEM must be unencrypted.
    static RsaKey fromPrivatePem(const std::string& pem, const std::string& passphrase = {});
    // SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY").
    static RsaKey fromPublicPem(const std::string& pem);

    bool hasPrivate() const { return hasPrivate_; }
    int bits() const;

    // PKCS#8 PEM, encrypted with AES-256-CBC (PBKDF2) when passphrase is not empty.
    std::string privatePem(const std::string& passphrase = {}) const;
    std::string publicPem() const;

    // base64url modulus and exponent, as a JWK carries them.
    std::string modulusB64u() const;
    std::string exponentB64u() const;
    // RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key.
    std::string thumbprint() const;

    // RSASSA-PKCS1-v1_5 with SHA-256 (JWS RS256).
    std::string signSha256(std::string_view data) const;
    bool verifySha256(std::string_view data, std::string_view signature) const;

    EVP_PKEY* native() const { return key_.get(); }

  private:
    RsaKey(std::shared_ptr<EVP_PKEY> key, bool hasPrivate);
    std::shared_ptr<EVP_PKEY> key_;
    bool hasPrivate_ = false;
};

}  // namespace assay::lti
