// The job's files, written into the container's /work (an empty tmpfs, see helper.cpp)
// through /proc/<init>/root while no process of the run exists.
#include "container.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace assay::containers {
namespace {

int writeAll(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t w = ::write(fd, data, size);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        data += w;
        size -= static_cast<std::size_t>(w);
    }
    return 0;
}

struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

// Switches the calling thread's file-system identity (setfsuid/setfsgid act on one thread,
// not the process) to the student's host ids: the tmpfs belongs to the container's user
// namespace, where the host's root is nobody and may not create files.
class AsStudent {
  public:
    explicit AsStudent(uid_t id) {
        ::syscall(SYS_setfsgid, id);
        ::syscall(SYS_setfsuid, id);
        if (static_cast<uid_t>(::syscall(SYS_setfsuid, -1)) != id ||
            static_cast<gid_t>(::syscall(SYS_setfsgid, -1)) != id) {
            restore();
            throw std::runtime_error("cannot take the student's file-system identity");
        }
    }
    ~AsStudent() { restore(); }
    AsStudent(const AsStudent&) = delete;
    AsStudent& operator=(const AsStudent&) = delete;

  private:
    static void restore() {
        ::syscall(SYS_setfsuid, 0);
        ::syscall(SYS_setfsgid, 0);
    }
};

void Container::writeJobFiles(const Job& job) {
    const std::string workPath = "/proc/" + std::to_string(initPid_) + "/root/work";
    Fd work{::open(workPath.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)};
    if (work.fd < 0) throw std::runtime_error("cannot open the container's work dir");
    const AsStudent student(idmapBase_ + 1000);  // what it creates is the student's
    for (const auto& f : job.files) {
        // Parent directories first; the tmpfs is empty, so nothing in it is a symlink.
        for (std::size_t slash = f.path.find('/'); slash != std::string::npos;
             slash = f.path.find('/', slash + 1)) {
            const std::string dir = f.path.substr(0, slash);
            if (::mkdirat(work.fd, dir.c_str(), 0755) == 0) continue;
            if (errno == ENOSPC)
                throw std::length_error("the job's files do not fit in the work dir");
            if (errno != EEXIST) {
                throw std::runtime_error("cannot create directory " + dir + ": " +
                                         std::strerror(errno));
            }
        }
        Fd fd{::openat(work.fd, f.path.c_str(),
                       O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                       f.executable ? 0755 : 0644)};
        if (fd.fd < 0) {
            if (errno == ENOSPC)
                throw std::length_error("the job's files do not fit in the work dir");
            throw std::runtime_error("cannot create " + f.path + ": " + std::strerror(errno));
        }
        if (writeAll(fd.fd, f.content.data(), f.content.size()) != 0) {
            if (errno == ENOSPC || errno == EFBIG)
                throw std::length_error("the job's files do not fit in the work dir");
            throw std::runtime_error("cannot write " + f.path + ": " + std::strerror(errno));
        }
    }
}

}  // namespace assay::containers
