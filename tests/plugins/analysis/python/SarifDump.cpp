// Prints the SARIF 2.1.0 log of an analysis: sarif_dump [--options JSON] [--budget-ms N] FILE...
// Used by validate_sarif.py to check the output against the SARIF schema.
#include <fstream>
#include <iostream>
#include <iterator>

#include "Engine.h"
#include "Sarif.h"

int main(int argc, char** argv) {
    std::string options = "{}";
    long long budget = 0;
    std::vector<assay::analysis::InputFile> files;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--options" && i + 1 < argc) {
            options = argv[++i];
        } else if (a == "--budget-ms" && i + 1 < argc) {
            budget = std::stoll(argv[++i]);
        } else {
            std::ifstream in(a, std::ios::binary);
            if (!in) {
                std::cerr << "cannot read " << a << "\n";
                return 2;
            }
            files.push_back({a, std::string(std::istreambuf_iterator<char>(in), {})});
        }
    }
    assay::analysis::Engine engine;
    std::cout << assay::analysis::sarifLog({engine.analyze(files, options, budget).sarifRunJson})
              << "\n";
    return 0;
}
