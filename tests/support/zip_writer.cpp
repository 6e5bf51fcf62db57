#include "zip_writer.h"

#include <zlib.h>

#include <map>
#include <stdexcept>

namespace assay::test {
namespace {

struct Entry {
    std::string name;
    std::string data;  // already compressed when method == 8
    uint16_t method = 0;
    uint32_t crc = 0;
    uint32_t usize = 0;
    uint32_t mode = 0100644;
    uint32_t offset = 0;
};

void put16(std::string& o, uint32_t v) {
    o.push_back(static_cast<char>(v & 0xff));
    o.push_back(static_cast<char>((v >> 8) & 0xff));
}
void put32(std::string& o, uint32_t v) {
    put16(o, v & 0xffff);
    put16(o, v >> 16);
}

std::string assemble(std::vector<Entry>& entries) {
    std::string out;
    for (auto& e : entries) {
        e.offset = static_cast<uint32_t>(out.size());
        put32(out, 0x04034b50);
        put16(out, 20);
        put16(out, 0);
        put16(out, e.method);
        put16(out, 0);
        put16(out, 0x21);
        put32(out, e.crc);
        put32(out, static_cast<uint32_t>(e.data.size()));
        put32(out, e.usize);
        put16(out, static_cast<uint32_t>(e.name.size()));
        put16(out, 0);
        out += e.name;
        out += e.data;
    }
    const uint32_t cdStart = static_cast<uint32_t>(out.size());
    for (const auto& e : entries) {
        put32(out, 0x02014b50);
        put16(out, (3u << 8) | 20);  // made on Unix
        put16(out, 20);
        put16(out, 0);
        put16(out, e.method);
        put16(out, 0);
        put16(out, 0x21);
        put32(out, e.crc);
        put32(out, static_cast<uint32_t>(e.data.size()));
        put32(out, e.usize);
        put16(out, static_cast<uint32_t>(e.name.size()));
        put16(out, 0);
        put16(out, 0);
        put16(out, 0);
        put16(out, 0);
        put32(out, e.mode << 16);
        put32(out, e.offset);
        out += e.name;
    }
    const uint32_t cdSize = static_cast<uint32_t>(out.size()) - cdStart;
    put32(out, 0x06054b50);
    put16(out, 0);
    put16(out, 0);
    put16(out, static_cast<uint32_t>(entries.size()));
    put16(out, static_cast<uint32_t>(entries.size()));
    put32(out, cdSize);
    put32(out, cdStart);
    put16(out, 0);
    return out;
}

Entry stored(const std::string& name, const std::string& data) {
    Entry e;
    e.name = name;
    e.data = data;
    e.usize = static_cast<uint32_t>(data.size());
    e.crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    return e;
}

}  // namespace

std::string zip(const std::vector<std::pair<std::string, std::string>>& entries,
                const std::string& symlinkName) {
    std::vector<Entry> es;
    for (const auto& [name, data] : entries) {
        es.push_back(stored(name, data));
        if (name == symlinkName) es.back().mode = 0120777;
    }
    return assemble(es);
}

std::string zipWithDeflatedZeros(const std::string& manifestName, const std::string& manifest,
                                 const std::string& bigName, uint64_t zeros,
                                 uint32_t declaredSize) {
    static std::map<std::pair<uint64_t, uint32_t>, std::string> cache;  // bombs are slow to make
    auto key = std::make_pair(zeros, declaredSize);
    std::string compressed;
    uint32_t crc = 0;
    if (auto it = cache.find(key); it != cache.end()) {
        compressed = it->second.substr(4);
        crc = *reinterpret_cast<const uint32_t*>(it->second.data());
    } else {
        z_stream zs{};
        if (deflateInit2(&zs, 1, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
            throw std::runtime_error("deflateInit");
        std::string chunk(1 << 20, '\0');
        std::string buf(1 << 16, '\0');
        crc = static_cast<uint32_t>(crc32(0, nullptr, 0));
        uint64_t left = zeros;
        int flush = Z_NO_FLUSH;
        do {
            const size_t n = static_cast<size_t>(std::min<uint64_t>(left, chunk.size()));
            crc = static_cast<uint32_t>(
                crc32(crc, reinterpret_cast<const Bytef*>(chunk.data()), static_cast<uInt>(n)));
            left -= n;
            flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
            zs.next_in = reinterpret_cast<Bytef*>(chunk.data());
            zs.avail_in = static_cast<uInt>(n);
            do {
                zs.next_out = reinterpret_cast<Bytef*>(buf.data());
                zs.avail_out = static_cast<uInt>(buf.size());
                deflate(&zs, flush);
                compressed.append(buf.data(), buf.size() - zs.avail_out);
            } while (zs.avail_out == 0);
        } while (flush != Z_FINISH);
        deflateEnd(&zs);
        std::string entry(4, '\0');
        *reinterpret_cast<uint32_t*>(entry.data()) = crc;
        cache[key] = entry + compressed;
    }
    std::vector<Entry> es;
    es.push_back(stored(manifestName, manifest));
    es.push_back(stored("s.md", "x"));
    Entry big;
    big.name = bigName;
    big.data = compressed;
    big.method = 8;
    big.crc = crc;
    big.usize = declaredSize ? declaredSize : static_cast<uint32_t>(zeros);
    es.push_back(big);
    return assemble(es);
}

}  // namespace assay::test
