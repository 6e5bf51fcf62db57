#pragma once
// Owner-only file helpers for the key directory (POSIX).
#include <string>
#include <vector>

namespace assay::lti::securefs {

// Creates dir with mode 0700 if missing; refuses a dir writable by group or others.
void ensurePrivateDirectory(const std::string& dir);
// Reads a regular file (no symlink) that has no group/other permission bits.
std::string readPrivateFile(const std::string& path);
// Writes through a 0600 temporary file, fsync and rename, so readers never see half a file.
void writePrivateFileAtomic(const std::string& path, const std::string& contents);
bool exists(const std::string& path);

// An exclusive flock on <dir>/.lock, held for the object's lifetime, so processes sharing a
// key directory (assayd and the assay command) do not interleave their changes.
class DirectoryLock {
  public:
    explicit DirectoryLock(const std::string& dir);
    ~DirectoryLock();
    DirectoryLock(const DirectoryLock&) = delete;
    DirectoryLock& operator=(const DirectoryLock&) = delete;

  private:
    int fd_ = -1;
};
void removeFile(const std::string& path);

}  // namespace assay::lti::securefs
