#include <assay/containers/sandbox_cli.h>

#include <assay/containers/runner_client.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>

namespace assay::containers {
namespace {

std::string readFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + p.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::uint64_t secondsToMs(double s) {
    if (!(s > 0) || s > 86400)
        throw std::invalid_argument("time limit must be in (0, 86400] seconds");
    return static_cast<std::uint64_t>(std::llround(s * 1000));
}

}  // namespace

std::uint64_t parseSize(const std::string& text) {
    if (text.empty()) throw std::invalid_argument("empty size");
    std::size_t used = 0;
    unsigned long long n = 0;
    try {
        n = std::stoull(text, &used);
    } catch (const std::exception&) {
        throw std::invalid_argument("invalid size: " + text);
    }
    const std::string suffix = text.substr(used);
    unsigned shift = 0;
    if (suffix.empty() || suffix == "B") {
        shift = 0;
    } else if (suffix == "K" || suffix == "k" || suffix == "KiB") {
        shift = 10;
    } else if (suffix == "M" || suffix == "m" || suffix == "MiB") {
        shift = 20;
    } else if (suffix == "G" || suffix == "g" || suffix == "GiB") {
        shift = 30;
    } else {
        throw std::invalid_argument("invalid size suffix: " + text);
    }
    if (n > (~0ull >> shift)) throw std::invalid_argument("size too large: " + text);
    return n << shift;
}

int sandboxRun(const SandboxRunOptions& options, std::ostream& out, std::ostream& err) {
    try {
        Job job;
        job.argv = options.argv;
        if (job.argv.empty()) throw std::invalid_argument("no command given (after --)");
        namespace fs = std::filesystem;
        const fs::path root(options.dir);
        if (!fs::is_directory(root)) throw std::invalid_argument("not a directory: " + options.dir);
        for (const auto& entry : fs::recursive_directory_iterator(root)) {
            if (!entry.is_regular_file()) continue;
            JobFile f;
            f.path = fs::relative(entry.path(), root).generic_string();
            f.content = readFile(entry.path());
            f.executable =
                (entry.status().permissions() & fs::perms::owner_exec) != fs::perms::none;
            job.files.push_back(std::move(f));
        }
        if (options.cpuSeconds) job.limits.cpuMs = secondsToMs(*options.cpuSeconds);
        if (options.wallSeconds) job.limits.wallMs = secondsToMs(*options.wallSeconds);
        if (options.memory) job.limits.memoryBytes = parseSize(*options.memory);
        if (options.stdinFile) job.stdinData = readFile(*options.stdinFile);
        RunnerClient client(options.socketPath.empty() ? kDefaultRunnerSocket : options.socketPath);
        const RunResult result = client.run(job);
        out << resultToJson(result) << "\n";
        return result.verdict == Verdict::SandboxError ? 1 : 0;
    } catch (const std::exception& e) {
        err << "sandbox run: " << e.what() << "\n";
        return 1;
    }
}

int sandboxStatus(const std::string& socketPath, std::ostream& out, std::ostream& err) {
    try {
        RunnerClient client(socketPath.empty() ? kDefaultRunnerSocket : socketPath);
        out << client.statusJson() << "\n";
        return 0;
    } catch (const std::exception& e) {
        err << "sandbox status: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace assay::containers
