#include "assay/lti/ToolKeyStore.h"

#include <Poco/JSON/Array.h>

#include <algorithm>

#include "SecureFiles.h"
#include "assay/lti/Error.h"
#include "assay/lti/Json.h"
#include "assay/lti/Jwks.h"

namespace assay::lti {
namespace {

constexpr const char* kRingFile = "keyring.json";

bool isSafeKid(const std::string& kid) {
    if (kid.empty() || kid.size() > 64) return false;
    return std::all_of(kid.begin(), kid.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
    });
}

}  // namespace

ToolKeyStore::ToolKeyStore(ToolKeyOptions options) : options_(std::move(options)) {}

std::unique_ptr<ToolKeyStore> ToolKeyStore::open(ToolKeyOptions options) {
    if (options.directory.empty())
        throw LtiError(ErrorCode::InvalidArgument, "tool key directory not configured");
    if (!options.clock) options.clock = systemNow;
    std::unique_ptr<ToolKeyStore> store(new ToolKeyStore(std::move(options)));
    std::lock_guard lock(store->mutex_);
    securefs::ensurePrivateDirectory(store->options_.directory);
    securefs::DirectoryLock dirLock(store->options_.directory);
    if (securefs::exists(store->options_.directory + "/" + kRingFile)) {
        store->loadLocked();
    } else {
        store->currentKid_ = store->addKeyLocked();
        store->saveLocked();
    }
    return store;
}

void ToolKeyStore::loadLocked() {
    const std::string& dir = options_.directory;
    const auto ring =
        json::parseObject(securefs::readPrivateFile(dir + "/" + kRingFile), ErrorCode::KeysIo);
    const auto current = json::getString(*ring, "current");
    const auto arr = json::getArray(*ring, "keys");
    if (!current || arr.isNull()) throw LtiError(ErrorCode::KeysIo, "keyring.json is damaged");
    std::vector<Entry> loaded;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const auto item = arr->getObject(static_cast<unsigned>(i));
        if (item.isNull()) throw LtiError(ErrorCode::KeysIo, "keyring.json entry is not an object");
        const auto kid = json::getString(*item, "kid");
        if (!kid || !isSafeKid(*kid))
            throw LtiError(ErrorCode::KeysIo, "keyring.json has a bad kid");
        const std::string pem = securefs::readPrivateFile(dir + "/key-" + *kid + ".pem");
        auto key = RsaKey::fromPrivatePem(pem, options_.secret);
        if (key.thumbprint() != *kid)
            throw LtiError(ErrorCode::KeyInvalid,
                           "key file for kid " + *kid + " holds another key");
        ToolKeyInfo info;
        info.kid = *kid;
        info.createdAt = json::getInteger(*item, "createdAt").value_or(0);
        info.retireAfter = json::getInteger(*item, "retireAfter").value_or(0);
        loaded.push_back({info, std::move(key)});
    }
    const bool found = std::any_of(loaded.begin(), loaded.end(),
                                   [&](const Entry& e) { return e.info.kid == *current; });
    if (!found) throw LtiError(ErrorCode::KeysIo, "keyring.json names a missing current key");
    for (auto& e : loaded)
        e.info.current = e.info.kid == *current;
    entries_ = std::move(loaded);
    currentKid_ = *current;
}

void ToolKeyStore::saveLocked() const {
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& e : entries_) {
        Poco::JSON::Object::Ptr item = new Poco::JSON::Object;
        item->set("kid", e.info.kid);
        item->set("createdAt", static_cast<Poco::Int64>(e.info.createdAt));
        item->set("retireAfter", static_cast<Poco::Int64>(e.info.retireAfter));
        arr->add(item);
    }
    Poco::JSON::Object ring;
    ring.set("version", 1);
    ring.set("current", currentKid_);
    ring.set("keys", arr);
    securefs::writePrivateFileAtomic(options_.directory + "/" + kRingFile, json::stringify(ring));
}

std::string ToolKeyStore::addKeyLocked() {
    auto key = RsaKey::generate(options_.bits);
    ToolKeyInfo info;
    info.kid = key.thumbprint();
    info.createdAt = options_.clock();
    // The key file is written before the ring names it, so a crash leaves at most an orphan.
    securefs::writePrivateFileAtomic(options_.directory + "/key-" + info.kid + ".pem",
                                     key.privatePem(options_.secret));
    for (auto& e : entries_)
        e.info.current = false;
    info.current = true;
    entries_.push_back({info, std::move(key)});
    return info.kid;
}

const ToolKeyStore::Entry& ToolKeyStore::currentLocked() const {
    for (const auto& e : entries_)
        if (e.info.kid == currentKid_) return e;
    throw LtiError(ErrorCode::KeysIo, "no current signing key");
}

SigningKey ToolKeyStore::signingKey() const {
    std::lock_guard lock(mutex_);
    const auto& e = currentLocked();
    return {e.info.kid, e.key};
}

std::string ToolKeyStore::publicJwks() const {
    std::lock_guard lock(mutex_);
    const auto now = options_.clock();
    std::vector<std::pair<std::string, RsaKey>> published;
    const auto& cur = currentLocked();
    published.emplace_back(cur.info.kid, cur.key);
    for (const auto& e : entries_) {
        if (e.info.kid == currentKid_) continue;
        if (e.info.retireAfter == 0 || e.info.retireAfter > now)
            published.emplace_back(e.info.kid, e.key);
    }
    return jwksJson(published);
}

std::vector<ToolKeyInfo> ToolKeyStore::keys() const {
    std::lock_guard lock(mutex_);
    std::vector<ToolKeyInfo> out;
    for (const auto& e : entries_)
        out.push_back(e.info);
    return out;
}

std::string ToolKeyStore::rotate(std::int64_t overlapSeconds) {
    if (overlapSeconds < 0) throw LtiError(ErrorCode::InvalidArgument, "negative overlap");
    std::lock_guard lock(mutex_);
    securefs::DirectoryLock dirLock(options_.directory);
    loadLocked();  // another process may have rotated since we loaded
    const auto retireAt = options_.clock() + overlapSeconds;
    for (auto& e : entries_)
        if (e.info.retireAfter == 0 || e.info.retireAfter > retireAt) e.info.retireAfter = retireAt;
    currentKid_ = addKeyLocked();
    saveLocked();
    return currentKid_;
}

bool ToolKeyStore::rotateIfOlderThan(std::int64_t maxAgeSeconds, std::int64_t overlapSeconds) {
    {
        std::lock_guard lock(mutex_);
        if (options_.clock() - currentLocked().info.createdAt < maxAgeSeconds) return false;
    }
    rotate(overlapSeconds);
    return true;
}

std::size_t ToolKeyStore::pruneExpired() {
    std::lock_guard lock(mutex_);
    securefs::DirectoryLock dirLock(options_.directory);
    loadLocked();
    const auto now = options_.clock();
    std::vector<std::string> gone;
    std::erase_if(entries_, [&](const Entry& e) {
        const bool expired =
            e.info.kid != currentKid_ && e.info.retireAfter != 0 && e.info.retireAfter <= now;
        if (expired) gone.push_back(e.info.kid);
        return expired;
    });
    if (gone.empty()) return 0;
    saveLocked();  // the ring stops naming them before their files go
    for (const auto& kid : gone)
        securefs::removeFile(options_.directory + "/key-" + kid + ".pem");
    return gone.size();
}

void ToolKeyStore::reload() {
    std::lock_guard lock(mutex_);
    securefs::DirectoryLock dirLock(options_.directory);
    loadLocked();
}

}  // namespace assay::lti
