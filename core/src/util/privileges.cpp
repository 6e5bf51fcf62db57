#include "assay/core/privileges.h"

#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace assay {

void dropPrivileges(const std::string& user) {
    if (geteuid() != 0) return;
    struct passwd* pw = getpwnam(user.c_str());
    if (!pw)
        throw std::runtime_error("assayd does not run as root and the account '" + user +
                                 "' does not exist; create it (useradd --system " + user +
                                 ") or set 'user' in the configuration");
    if (pw->pw_uid == 0)
        throw std::runtime_error("the configured user '" + user +
                                 "' is root; choose another account");
    if (initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
        setuid(pw->pw_uid) != 0)
        throw std::runtime_error("cannot switch to user '" + user + "': " + std::strerror(errno));
    if (setuid(0) == 0) throw std::runtime_error("privileges were not dropped");
    prctl(PR_SET_DUMPABLE, 0);
}

}  // namespace assay
