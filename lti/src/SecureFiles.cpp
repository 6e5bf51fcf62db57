#include "SecureFiles.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "assay/lti/Error.h"

namespace assay::lti::securefs {
namespace {

[[noreturn]] void ioFail(const std::string& what, const std::string& path) {
    throw LtiError(ErrorCode::KeysIo, what + " " + path + ": " + std::strerror(errno));
}

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

void ensurePrivateDirectory(const std::string& dir) {
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0) {
        if (errno != ENOENT) ioFail("cannot stat", dir);
        if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) ioFail("cannot create", dir);
        if (::lstat(dir.c_str(), &st) != 0) ioFail("cannot stat", dir);
    }
    if (!S_ISDIR(st.st_mode)) throw LtiError(ErrorCode::KeysIo, dir + " is not a directory");
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
        throw LtiError(ErrorCode::KeysPermissions,
                       dir + " is writable by group or others; chmod 700 it");
}

std::string readPrivateFile(const std::string& path) {
    Fd f;
    f.fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (f.fd < 0) ioFail("cannot open", path);
    struct stat st {};
    if (::fstat(f.fd, &st) != 0) ioFail("cannot stat", path);
    if (!S_ISREG(st.st_mode)) throw LtiError(ErrorCode::KeysIo, path + " is not a regular file");
    if ((st.st_mode & 077) != 0)
        throw LtiError(ErrorCode::KeysPermissions,
                       path + " is accessible by group or others; chmod 600 it");
    if (st.st_size > 1024 * 1024) throw LtiError(ErrorCode::KeysIo, path + " is too large");
    std::string out;
    char buf[8192];
    for (;;) {
        const ssize_t n = ::read(f.fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            ioFail("cannot read", path);
        }
        if (n == 0) break;
        out.append(buf, static_cast<size_t>(n));
    }
    return out;
}

void writePrivateFileAtomic(const std::string& path, const std::string& contents) {
    std::string tmpl = path + ".tmp-XXXXXX";
    Fd f;
    f.fd = ::mkostemp(tmpl.data(), O_CLOEXEC);  // mode 0600
    if (f.fd < 0) ioFail("cannot create temporary file for", path);
    const std::string tmp = tmpl;
    size_t done = 0;
    while (done < contents.size()) {
        const ssize_t n = ::write(f.fd, contents.data() + done, contents.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            ::unlink(tmp.c_str());
            ioFail("cannot write", tmp);
        }
        done += static_cast<size_t>(n);
    }
    if (::fchmod(f.fd, 0600) != 0 || ::fsync(f.fd) != 0) {
        ::unlink(tmp.c_str());
        ioFail("cannot sync", tmp);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        ::unlink(tmp.c_str());
        ioFail("cannot rename onto", path);
    }
    const auto slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
    Fd d;
    d.fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d.fd >= 0) ::fsync(d.fd);
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

DirectoryLock::DirectoryLock(const std::string& dir) {
    const std::string path = dir + "/.lock";
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0) ioFail("cannot open", path);
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        const int saved = errno;
        ::close(fd_);
        errno = saved;
        ioFail("cannot lock", path);
    }
}

DirectoryLock::~DirectoryLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

void removeFile(const std::string& path) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) ioFail("cannot remove", path);
}

}  // namespace assay::lti::securefs
