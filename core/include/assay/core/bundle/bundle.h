#pragma once
// Assignment bundles: a directory or a .zip holding `assignment.json` and the files it names.
// Loading never writes anything to disk; it returns the files in memory, validated.
#include <string>

#include "assay/core/bundle/manifest.h"

namespace assay::bundle {

struct Limits2 {
    size_t maxFiles = 1000;
    uint64_t maxFileBytes = 16ull << 20;   // one file
    uint64_t maxTotalBytes = 64ull << 20;  // all files, uncompressed
};

struct Bundle {
    Manifest manifest;
    std::string manifestJson;  // as stored: normalised by toJson()
    FileMap files;             // every file except assignment.json
};

// Loads from a directory, a .zip file on disk, or zip bytes. Throws ApiError 400 with stable codes:
// missing_manifest, invalid_json, unknown_field, invalid_manifest, missing_file, unsafe_path,
// symlink_in_bundle, bundle_too_large, not_a_zip.
Bundle loadDirectory(const std::string& dir, const Limits2& limits = {});
Bundle loadZipFile(const std::string& path, const Limits2& limits = {});
Bundle loadZipBytes(const std::string& bytes, const Limits2& limits = {});
Bundle load(const std::string& path, const Limits2& limits = {});  // directory or .zip

// Validates a manifest and files that arrived in other ways (REST create/update).
Bundle fromParts(const std::string& manifestJson, FileMap files);

// Zip bytes holding assignment.json and every file.
std::string toZip(const std::string& manifestJson, const FileMap& files);

}  // namespace assay::bundle
