// Identifiers an LRS keys on: agent inverse functional identifiers and statement UUIDs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <Poco/JSON/Object.h>

namespace assay::xapi {

// The inverse functional identifier of an Agent or identified Group.
struct Ifi {
    enum class Kind { Mbox, MboxSha1, OpenId, Account };
    Kind kind = Kind::Mbox;
    std::string value;     // mbox / sha1 / openid / account name
    std::string homePage;  // account only

    // One string per identity, for indexes and equality: "mbox:mailto:a@b",
    // "mbox_sha1sum:<lower hex>", "openid:<iri>", "account:<homePage> <name>".
    std::string key() const;
    bool operator==(const Ifi& other) const { return key() == other.key(); }
};

// The IFI of a (validated) Agent or Group object; nullopt for anonymous groups.
std::optional<Ifi> ifiOf(const Poco::JSON::Object& actor);

// A fresh random (version 4) UUID in standard lower-case form.
std::string randomUuid();

// A name-based (version 5, SHA-1) UUID: the same namespace and name always give the same id.
// `namespaceUuid` must be a UUID in standard form.
std::string nameBasedUuid(std::string_view namespaceUuid, std::string_view name);

}  // namespace assay::xapi
