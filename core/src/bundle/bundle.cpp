#include "assay/core/bundle/bundle.h"

#include <Poco/Zip/Compress.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "assay/core/error.h"

namespace assay::bundle {
namespace fs = std::filesystem;
namespace {

constexpr const char* kManifest = "assignment.json";

ApiError tooLarge(const std::string& what) {
    return ApiError::badRequest("bundle_too_large", what);
}

Bundle finish(FileMap files) {
    auto it = files.find(kManifest);
    if (it == files.end())
        throw ApiError::badRequest("missing_manifest",
                                   "the bundle has no assignment.json at its top level");
    std::string manifestText = std::move(it->second);
    files.erase(it);
    return fromParts(manifestText, std::move(files));
}

void addFile(FileMap& files, uint64_t& total, const std::string& path, std::string bytes,
             const Limits2& l) {
    if (!isSafePath(path))
        throw ApiError::badRequest("unsafe_path", "unsafe path in bundle: '" + path + "'");
    if (files.size() >= l.maxFiles)
        throw tooLarge("the bundle has more than " + std::to_string(l.maxFiles) + " files");
    total += bytes.size();
    if (total > l.maxTotalBytes)
        throw tooLarge("the bundle is larger than " + std::to_string(l.maxTotalBytes) + " bytes");
    if (!files.emplace(path, std::move(bytes)).second)
        throw ApiError::badRequest("invalid_bundle", "the bundle holds '" + path + "' twice");
}

uint32_t le(const std::string& b, size_t at, int n) {
    uint32_t v = 0;
    for (int i = n - 1; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(b[at + i]);
    return v;
}

// Names of central-directory entries made on Unix whose mode is a symbolic link. Poco's zip
// reader keeps the external attributes private, so the directory is read here.
std::set<std::string> symlinkEntries(const std::string& zip) {
    std::set<std::string> out;
    if (zip.size() < 22) return out;
    size_t eocd = std::string::npos;
    const size_t lowest = zip.size() > 22 + 65535 ? zip.size() - 22 - 65535 : 0;
    for (size_t i = zip.size() - 22 + 1; i-- > lowest;)
        if (le(zip, i, 4) == 0x06054b50) {
            eocd = i;
            break;
        }
    if (eocd == std::string::npos) return out;
    const size_t entries = le(zip, eocd + 10, 2);
    size_t pos = le(zip, eocd + 16, 4);
    for (size_t n = 0; n < entries && pos + 46 <= zip.size() && le(zip, pos, 4) == 0x02014b50;
         ++n) {
        const uint32_t madeBy = le(zip, pos + 4, 2) >> 8;
        const size_t nameLen = le(zip, pos + 28, 2), extraLen = le(zip, pos + 30, 2),
                     commentLen = le(zip, pos + 32, 2);
        const uint32_t mode = le(zip, pos + 38, 4) >> 16;
        if (pos + 46 + nameLen > zip.size()) break;
        if (madeBy == 3 && S_ISLNK(mode)) out.insert(zip.substr(pos + 46, nameLen));
        pos += 46 + nameLen + extraLen + commentLen;
    }
    return out;
}

Bundle loadZipStream(std::istream& in, const Limits2& l, const std::set<std::string>& symlinks) {
    std::unique_ptr<Poco::Zip::ZipArchive> archive;
    try {
        archive = std::make_unique<Poco::Zip::ZipArchive>(in);
    } catch (const Poco::Exception& e) {
        throw ApiError::badRequest("not_a_zip",
                                   "the upload is not a readable zip file: " + e.message());
    }
    // Check every header before decompressing anything.
    uint64_t declared = 0;
    size_t count = 0;
    for (auto it = archive->fileInfoBegin(); it != archive->fileInfoEnd(); ++it) {
        const auto& info = it->second;
        const std::string& name = info.getFileName();
        if (symlinks.count(name))
            throw ApiError::badRequest("symlink_in_bundle",
                                       "the bundle contains a symbolic link: '" + name + "'");
        if (info.isDirectory()) continue;
        if (!isSafePath(name))
            throw ApiError::badRequest("unsafe_path", "unsafe path in bundle: '" + name + "'");
        if (info.getUncompressedSize() > l.maxFileBytes)
            throw tooLarge("'" + name + "' would unpack to more than " +
                           std::to_string(l.maxFileBytes) + " bytes");
        declared += info.getUncompressedSize();
        if (declared > l.maxTotalBytes)
            throw tooLarge("the bundle would unpack to more than " +
                           std::to_string(l.maxTotalBytes) + " bytes");
        if (++count > l.maxFiles)
            throw tooLarge("the bundle has more than " + std::to_string(l.maxFiles) + " files");
    }
    FileMap files;
    uint64_t total = 0;
    for (auto it = archive->headerBegin(); it != archive->headerEnd(); ++it) {
        const auto& info = it->second;
        if (info.isDirectory()) continue;
        const auto& local = *it;
        std::string bytes;
        try {
            in.clear();
            Poco::Zip::ZipInputStream zin(in, local.second, true);
            char buf[65536];
            // Sizes in headers can lie: stop at the limit whatever the header said.
            while (zin.read(buf, sizeof buf) || zin.gcount() > 0) {
                bytes.append(buf, static_cast<size_t>(zin.gcount()));
                if (bytes.size() > info.getUncompressedSize() || bytes.size() > l.maxFileBytes)
                    throw tooLarge("'" + info.getFileName() +
                                   "' unpacks to more than its header says");
            }
        } catch (const Poco::Exception& e) {
            throw ApiError::badRequest(
                "not_a_zip", "cannot unpack '" + info.getFileName() + "': " + e.message());
        }
        addFile(files, total, info.getFileName(), std::move(bytes), l);
    }
    return finish(std::move(files));
}

}  // namespace

Bundle fromParts(const std::string& manifestJson, FileMap files) {
    Bundle b;
    b.manifest = parseManifest(manifestJson);
    for (const auto& [path, bytes] : files)
        if (!isSafePath(path))
            throw ApiError::badRequest("unsafe_path", "unsafe path: '" + path + "'");
    checkFiles(b.manifest, files);
    b.manifestJson = json::stringify(toJson(b.manifest));
    b.files = std::move(files);
    return b;
}

Bundle loadDirectory(const std::string& dir, const Limits2& l) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw ApiError::badRequest("missing_manifest", "'" + dir + "' is not a directory");
    FileMap files;
    uint64_t total = 0;
    const fs::path root = fs::path(dir);
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::none, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const auto rel = fs::relative(it->path(), root).generic_string();
        if (it->is_symlink())
            throw ApiError::badRequest("symlink_in_bundle",
                                       "the bundle contains a symbolic link: '" + rel + "'");
        if (it->is_directory()) {
            if (rel == "__pycache__" || rel.ends_with("/__pycache__") || rel.starts_with("."))
                it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file())
            throw ApiError::badRequest("invalid_bundle", "'" + rel + "' is not a regular file");
        if (rel.ends_with(".pyc") || fs::path(rel).filename().string().starts_with(".")) continue;
        if (it->file_size() > l.maxFileBytes)
            throw tooLarge("'" + rel + "' is larger than " + std::to_string(l.maxFileBytes) +
                           " bytes");
        std::ifstream in(it->path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        addFile(files, total, rel, ss.str(), l);
    }
    if (ec)
        throw ApiError::badRequest("invalid_bundle", "cannot read '" + dir + "': " + ec.message());
    return finish(std::move(files));
}

Bundle loadZipFile(const std::string& path, const Limits2& l) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) throw ApiError::badRequest("not_a_zip", "cannot open '" + path + "'");
    if (size > l.maxTotalBytes + (1u << 20))
        throw tooLarge("the zip file is larger than the bundle limit");
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return loadZipBytes(ss.str(), l);
}

Bundle loadZipBytes(const std::string& bytes, const Limits2& l) {
    std::istringstream in(bytes);
    return loadZipStream(in, l, symlinkEntries(bytes));
}

Bundle load(const std::string& path, const Limits2& l) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) return loadDirectory(path, l);
    return loadZipFile(path, l);
}

std::string toZip(const std::string& manifestJson, const FileMap& files) {
    std::ostringstream out;
    Poco::Zip::Compress zip(out, true);
    auto add = [&](const std::string& name, const std::string& bytes) {
        std::istringstream in(bytes);
        zip.addFile(in, Poco::DateTime(), Poco::Path(name, Poco::Path::PATH_UNIX),
                    Poco::Zip::ZipCommon::CM_DEFLATE, Poco::Zip::ZipCommon::CL_NORMAL);
    };
    add(kManifest, manifestJson);
    for (const auto& [name, bytes] : files)
        add(name, bytes);
    zip.close();
    return out.str();
}

}  // namespace assay::bundle
