#pragma once
// The tool's own RSA signing keys, kept in a directory that only the service user can read.
//
// Layout: <dir>/keyring.json lists the keys (kid, creation time, retire-after time) and names
// the current signing key; <dir>/key-<kid>.pem holds each private key as PKCS#8 PEM, encrypted
// with the key-encryption secret when one is configured. The directory is 0700, files 0600;
// files readable by group or others are refused. The kid is the key's RFC 7638 thumbprint.
//
// Rotation with overlap: rotate() makes a new key the signing key and gives every older key a
// retire-after time (now + overlap); an old key stays in the published JWKS until then, so
// tokens it signed keep verifying, and is deleted by pruneExpired() afterwards.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "assay/lti/Clock.h"
#include "assay/lti/SigningKey.h"

namespace assay::lti {

struct ToolKeyOptions {
    std::string directory;
    std::string secret;  // key-encryption secret; empty stores the PEM unencrypted (still 0600)
    int bits = 2048;
    Clock clock = systemNow;
};

struct ToolKeyInfo {
    std::string kid;
    std::int64_t createdAt = 0;
    std::int64_t retireAfter = 0;  // 0: not retiring (the current key)
    bool current = false;
};

class ToolKeyStore {
  public:
    // Loads the key ring, generating the first key pair when the directory holds none.
    // Throws LtiError (tool_keys_io, tool_keys_permissions, tool_keys_secret, key_invalid).
    static std::unique_ptr<ToolKeyStore> open(ToolKeyOptions options);

    SigningKey signingKey() const;
    // {"keys":[...]} of every key not yet past its retire-after time, current key first.
    std::string publicJwks() const;
    std::vector<ToolKeyInfo> keys() const;

    // Generates a new signing key; older keys retire after now + overlapSeconds (a key that
    // already retires earlier keeps its time). Returns the new kid.
    std::string rotate(std::int64_t overlapSeconds);
    // rotate() when the current key is older than maxAgeSeconds; returns whether it rotated.
    bool rotateIfOlderThan(std::int64_t maxAgeSeconds, std::int64_t overlapSeconds);
    // Deletes keys whose retire-after time has passed; returns how many.
    std::size_t pruneExpired();
    // Re-reads the key ring from disk (after another process rotated).
    void reload();

  private:
    struct Entry {
        ToolKeyInfo info;
        RsaKey key;
    };
    explicit ToolKeyStore(ToolKeyOptions options);
    void loadLocked();
    void saveLocked() const;
    std::string addKeyLocked();
    const Entry& currentLocked() const;

    ToolKeyOptions options_;
    mutable std::mutex mutex_;
    std::vector<Entry> entries_;
    std::string currentKid_;
};

}  // namespace assay::lti
