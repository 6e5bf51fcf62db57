#pragma once
// A small zip writer for tests that need archives no well-behaved tool would make: entries
// named "../../etc/passwd", symbolic links, bombs, and headers that lie about sizes.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace assay::test {

// Stored (uncompressed) entries in order. `symlinkName` marks one entry as a Unix symlink.
std::string zip(const std::vector<std::pair<std::string, std::string>>& entries,
                const std::string& symlinkName = "");

// A manifest entry plus one deflated entry of `zeros` zero bytes. `declaredSize`, when not 0,
// replaces the true uncompressed size in both headers.
std::string zipWithDeflatedZeros(const std::string& manifestName, const std::string& manifest,
                                 const std::string& bigName, uint64_t zeros,
                                 uint32_t declaredSize = 0);

}  // namespace assay::test
