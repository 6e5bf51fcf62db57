#include "assay/core/model.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <chrono>

namespace assay {

const char* roleName(Role r) {
    switch (r) {
        case Role::Admin:
            return "admin";
        case Role::Instructor:
            return "instructor";
        case Role::Student:
            return "student";
    }
    return "student";
}

std::optional<Role> parseRole(const std::string& s) {
    if (s == "admin") return Role::Admin;
    if (s == "instructor") return Role::Instructor;
    if (s == "student") return Role::Student;
    return std::nullopt;
}

int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string isoTime(int64_t ms) {
    return Poco::DateTimeFormatter::format(Poco::Timestamp(ms * 1000), "%Y-%m-%dT%H:%M:%S.%iZ");
}

}  // namespace assay
