#pragma once
// Dropping root: assayd never serves requests as root.
#include <string>

namespace assay {

// When the process runs as root, switches to `user` (its uid, gid and groups). Throws
// std::runtime_error with a plain explanation when the account does not exist.
// Does nothing for a non-root process.
void dropPrivileges(const std::string& user);

}  // namespace assay
