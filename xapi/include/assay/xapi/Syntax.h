// Checks of the string formats the xAPI data model uses. All are allocation-free.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace assay::xapi {

// Absolute IRI (RFC 3987): a scheme, ':' and a non-empty rest without spaces, controls or
// characters IRIs exclude; percent escapes must be complete. Best effort, as the spec allows.
bool isAbsoluteIri(std::string_view s);

// UUID in standard string form (8-4-4-4-12 hex digits, either case).
bool isUuid(std::string_view s);

// "mailto:" followed by an address with a local part and a domain.
bool isMailtoIri(std::string_view s);

// Exactly n hexadecimal digits.
bool isHex(std::string_view s, size_t n);

// A SHA-2 digest in hex: 56, 64, 96 or 128 digits.
bool isSha2Hex(std::string_view s);

// RFC 5646 language tag (well-formedness of the subtag sequence, incl. private use and the
// irregular grandfathered tags).
bool isLanguageTag(std::string_view s);

// Internet media type "type/subtype[; params]".
bool isMediaType(std::string_view s);

// ISO 8601 combined date and time, extended (2024-05-01T10:00:00.5+02:00) or basic
// (20240501T100000Z) format; a space may replace the T as in RFC 3339. Seconds are required.
// Returns milliseconds since the epoch (UTC) or nullopt.
// Without a zone designator the time counts as UTC and, if requireZone, is rejected.
// The "unknown offset" forms -00:00 / -0000 / -00 are always rejected.
std::optional<int64_t> parseTimestamp(std::string_view s, bool requireZone);

// ISO 8601 duration in the format of ISO 8601:2004 4.4.3.2 (PnYnMnDTnHnMnS or PnW).
bool isDuration(std::string_view s);

// RFC 3339 UTC rendering with milliseconds: 2024-05-01T10:00:00.000Z.
std::string formatTimestamp(int64_t epochMillis);

}  // namespace assay::xapi
