#include "assay/xapi/Signature.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include "Base64.h"
#include "JsonAccess.h"
#include "assay/xapi/Comparison.h"
#include "assay/xapi/Validator.h"

namespace assay::xapi {

namespace {

using Obj = Poco::JSON::Object;

struct PkeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Free {
    void operator()(X509* x) const { X509_free(x); }
};
struct BioFree {
    void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

const EVP_MD* digestFor(std::string_view alg) {
    if (alg == "RS256") return EVP_sha256();
    if (alg == "RS384") return EVP_sha384();
    if (alg == "RS512") return EVP_sha512();
    return nullptr;
}

bool isSignatureAttachment(const Poco::Dynamic::Var& v) {
    if (detail::kindOf(v) != detail::Kind::Object) return false;
    const auto* usage = detail::memberString(detail::asObject(v), "usageType");
    return usage && *usage == kSignatureUsageType;
}

const Obj* signatureHeader(const Obj& statement) {
    const auto* list = detail::member(statement, "attachments");
    if (!list || detail::kindOf(*list) != detail::Kind::Array) return nullptr;
    for (const auto& item : detail::asArray(*list)) {
        if (isSignatureAttachment(item)) return &detail::asObject(item);
    }
    return nullptr;
}

// The statement as it was before the signature attachment was added.
Obj::Ptr withoutSignature(const Obj& statement) {
    Obj::Ptr copy = new Obj(statement);
    const auto* list = detail::member(statement, "attachments");
    if (!list || detail::kindOf(*list) != detail::Kind::Array) return copy;
    Poco::JSON::Array::Ptr rest = new Poco::JSON::Array;
    for (const auto& item : detail::asArray(*list)) {
        if (!isSignatureAttachment(item)) rest->add(item);
    }
    if (rest->size() == 0)
        copy->remove("attachments");
    else
        copy->set("attachments", rest);
    return copy;
}

XapiError sigError(ErrorCode code, std::string message) {
    return makeError(code, std::move(message), "attachments");
}

Pkey publicKeyFromPem(const std::string& pem) {
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) return nullptr;
    if (pem.find("CERTIFICATE") != std::string::npos) {
        std::unique_ptr<X509, X509Free> cert(
            PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
        return cert ? Pkey(X509_get_pubkey(cert.get())) : nullptr;
    }
    return Pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
}

Pkey publicKeyFromX5c(const std::string& base64Der) {
    const auto der = detail::base64Decode(base64Der, true);
    if (!der) return nullptr;
    const auto* p = reinterpret_cast<const unsigned char*>(der->data());
    std::unique_ptr<X509, X509Free> cert(d2i_X509(nullptr, &p, static_cast<long>(der->size())));
    return cert ? Pkey(X509_get_pubkey(cert.get())) : nullptr;
}

std::string condensed(const Obj& o) {
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

}  // namespace

bool isSignedStatement(const Obj& statement) {
    return signatureHeader(statement) != nullptr;
}

std::optional<XapiError> verifyStatementSignature(const Obj& statement,
                                                  const std::vector<AttachmentPart>& parts,
                                                  const std::string& publicKeyPem) {
    const Obj* header = signatureHeader(statement);
    if (!header) return std::nullopt;
    const auto* contentType = detail::memberString(*header, "contentType");
    if (!contentType || contentType->rfind("application/octet-stream", 0) != 0) {
        return sigError(ErrorCode::SignatureMalformed,
                        "a signature attachment must have contentType application/octet-stream");
    }
    const auto* sha = detail::memberString(*header, "sha2");
    const AttachmentPart* part = nullptr;
    for (const auto& p : parts) {
        if (sha && p.sha2.size() == sha->size() &&
            std::equal(p.sha2.begin(), p.sha2.end(), sha->begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) ==
                       std::tolower(static_cast<unsigned char>(b));
            })) {
            part = &p;
        }
    }
    if (!part) {
        // A signature only referenced by fileUrl cannot be read here: nothing to verify.
        if (detail::member(*header, "fileUrl")) return std::nullopt;
        return sigError(ErrorCode::AttachmentMissing, "the signature part is missing");
    }

    std::string_view jws = part->content;
    while (!jws.empty() && (jws.back() == '\n' || jws.back() == '\r' || jws.back() == ' ')) {
        jws.remove_suffix(1);
    }
    const size_t d1 = jws.find('.');
    const size_t d2 = d1 == std::string_view::npos ? d1 : jws.find('.', d1 + 1);
    if (d2 == std::string_view::npos || jws.find('.', d2 + 1) != std::string_view::npos) {
        return sigError(ErrorCode::SignatureMalformed, "the signature is not a compact JWS");
    }
    const auto headerJson = detail::base64Decode(jws.substr(0, d1));
    const auto payloadJson = detail::base64Decode(jws.substr(d1 + 1, d2 - d1 - 1));
    const auto signature = detail::base64Decode(jws.substr(d2 + 1));
    if (!headerJson || !payloadJson || !signature) {
        return sigError(ErrorCode::SignatureMalformed, "the JWS is not base64url encoded");
    }
    auto headerVar = parseJson(*headerJson);
    const auto* hv = std::get_if<Poco::Dynamic::Var>(&headerVar);
    if (!hv || detail::kindOf(*hv) != detail::Kind::Object) {
        return sigError(ErrorCode::SignatureMalformed, "the JWS header is not a JSON object");
    }
    const Obj& jwsHeader = detail::asObject(*hv);
    const auto* alg = detail::memberString(jwsHeader, "alg");
    const EVP_MD* md = alg ? digestFor(*alg) : nullptr;
    if (!md) {
        return sigError(ErrorCode::SignatureAlgorithm, "the JWS alg must be RS256, RS384 or RS512");
    }
    auto payloadVar = parseJson(*payloadJson);
    const auto* pv = std::get_if<Poco::Dynamic::Var>(&payloadVar);
    if (!pv || detail::kindOf(*pv) != detail::Kind::Object) {
        return sigError(ErrorCode::SignatureMalformed, "the JWS payload is not a statement");
    }
    if (!statementsEquivalent(detail::asObject(*pv), *withoutSignature(statement))) {
        return sigError(ErrorCode::SignatureMismatch,
                        "the signed statement differs from the received statement");
    }

    Pkey key;
    if (!publicKeyPem.empty()) {
        key = publicKeyFromPem(publicKeyPem);
        if (!key) throw std::invalid_argument("the configured public key cannot be read");
    } else if (const auto* x5c = detail::member(jwsHeader, "x5c")) {
        if (detail::kindOf(*x5c) != detail::Kind::Array || detail::asArray(*x5c).size() == 0 ||
            detail::kindOf(detail::asArray(*x5c).get(0)) != detail::Kind::String) {
            return sigError(ErrorCode::SignatureMalformed, "x5c must be an array of certificates");
        }
        key = publicKeyFromX5c(detail::asArray(*x5c).get(0).extract<std::string>());
        if (!key)
            return sigError(ErrorCode::SignatureMalformed, "the x5c certificate is unreadable");
    }
    if (!key) return std::nullopt;  // nothing to verify against: structure checks only
    if (EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) {
        return sigError(ErrorCode::SignatureAlgorithm, "the signing key is not an RSA key");
    }
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    const std::string_view signingInput = jws.substr(0, d2);
    const bool ok =
        ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key.get()) == 1 &&
        EVP_DigestVerify(
            ctx.get(), reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
            reinterpret_cast<const unsigned char*>(signingInput.data()), signingInput.size()) == 1;
    if (!ok) return sigError(ErrorCode::SignatureInvalid, "the JWS signature does not verify");
    return std::nullopt;
}

AttachmentPart signStatement(Obj& statement, const std::string& privateKeyPem, std::string_view alg,
                             const std::string& certificatePem) {
    const EVP_MD* md = digestFor(alg);
    if (!md) throw std::invalid_argument("alg must be RS256, RS384 or RS512");
    std::unique_ptr<BIO, BioFree> bio(
        BIO_new_mem_buf(privateKeyPem.data(), static_cast<int>(privateKeyPem.size())));
    Pkey key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!key || EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) {
        throw std::invalid_argument("the private key is not a PEM RSA key");
    }
    Obj header;
    header.set("alg", std::string(alg));
    if (!certificatePem.empty()) {
        std::unique_ptr<BIO, BioFree> cb(
            BIO_new_mem_buf(certificatePem.data(), static_cast<int>(certificatePem.size())));
        std::unique_ptr<X509, X509Free> cert(
            cb ? PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr) : nullptr);
        if (!cert) throw std::invalid_argument("the certificate is not PEM X.509");
        unsigned char* der = nullptr;
        const int len = i2d_X509(cert.get(), &der);
        if (len <= 0) throw std::invalid_argument("the certificate cannot be encoded");
        std::string derBytes(reinterpret_cast<char*>(der), static_cast<size_t>(len));
        OPENSSL_free(der);
        Poco::JSON::Array::Ptr chain = new Poco::JSON::Array;
        chain->add(detail::base64Encode(derBytes));
        header.set("x5c", chain);
    }
    const std::string input = detail::base64UrlEncode(condensed(header)) + "." +
                              detail::base64UrlEncode(condensed(statement));
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    size_t sigLen = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &sigLen,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
        throw std::runtime_error("signing failed");
    }
    std::string sig(sigLen, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &sigLen,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
        throw std::runtime_error("signing failed");
    }
    sig.resize(sigLen);
    AttachmentPart part;
    part.content = input + "." + detail::base64UrlEncode(sig);
    part.sha2 = sha256Hex(part.content);
    part.contentType = "application/octet-stream";

    Obj::Ptr attachment = new Obj;
    attachment->set("usageType", std::string(kSignatureUsageType));
    Obj::Ptr display = new Obj;
    display->set("en-US", std::string("Signature"));
    attachment->set("display", display);
    attachment->set("contentType", part.contentType);
    attachment->set("length", static_cast<Poco::Int64>(part.content.size()));
    attachment->set("sha2", part.sha2);
    Poco::JSON::Array::Ptr list;
    if (const auto* existing = detail::member(statement, "attachments");
        existing && detail::kindOf(*existing) == detail::Kind::Array) {
        list = Poco::makeShared<Poco::JSON::Array>(detail::asArray(*existing));
    } else {
        list = Poco::makeShared<Poco::JSON::Array>();
    }
    list->add(attachment);
    statement.set("attachments", list);
    return part;
}

}  // namespace assay::xapi
