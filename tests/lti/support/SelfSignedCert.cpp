#include "SelfSignedCert.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <memory>
#include <stdexcept>

#include "TestPlatform.h"

namespace assay::lti::test {
namespace {

void addExtension(X509* cert, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (ext == nullptr || X509_add_ext(cert, ext, -1) != 1)
        throw std::runtime_error("X509 extension");
    X509_EXTENSION_free(ext);
}

}  // namespace

CertFiles makeSelfSignedCert(const std::string& dir) {
    const RsaKey& key = sharedKey(3);
    std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
    X509_set_pubkey(cert.get(), key.native());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    addExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
    addExtension(cert.get(), NID_key_usage,
                 "critical,digitalSignature,keyCertSign,keyEncipherment");
    addExtension(cert.get(), NID_subject_alt_name, "IP:127.0.0.1");
    addExtension(cert.get(), NID_subject_key_identifier, "hash");
    if (X509_sign(cert.get(), key.native(), EVP_sha256()) == 0)
        throw std::runtime_error("X509_sign");

    CertFiles files{dir + "/cert.pem", dir + "/key.pem"};
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_X509(bio.get(), cert.get());
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    std::ofstream(files.certPath) << std::string(data, static_cast<size_t>(len));
    std::ofstream(files.keyPath) << key.privatePem();
    return files;
}

}  // namespace assay::lti::test
