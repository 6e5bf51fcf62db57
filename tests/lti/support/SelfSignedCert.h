#pragma once
// A self-signed certificate for 127.0.0.1 made at test time (no key material is committed).
#include <string>

namespace assay::lti::test {

struct CertFiles {
    std::string certPath;
    std::string keyPath;
};

// Writes cert.pem and key.pem into dir; the certificate names only IP 127.0.0.1.
CertFiles makeSelfSignedCert(const std::string& dir);

}  // namespace assay::lti::test
