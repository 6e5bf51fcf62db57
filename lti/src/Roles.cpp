#include "assay/lti/Roles.h"

#include <string_view>

namespace assay::lti {
namespace {

enum class Scope { Context, Institution, System, Unknown };

struct ParsedRole {
    Scope scope = Scope::Unknown;
    std::string_view name;  // e.g. Instructor, or the sub-role's parent
    std::string_view sub;   // e.g. TeachingAssistant for membership/Instructor#TeachingAssistant
};

bool startsWith(std::string_view s, std::string_view p) {
    return s.substr(0, p.size()) == p;
}

ParsedRole parse(std::string_view uri) {
    constexpr std::string_view kLisV2 = "http://purl.imsglobal.org/vocab/lis/v2/";
    constexpr std::string_view kLtiSystem = "http://purl.imsglobal.org/vocab/lti/system/person#";
    constexpr std::string_view kUrnContext = "urn:lti:role:ims/lis/";
    constexpr std::string_view kUrnInst = "urn:lti:instrole:ims/lis/";
    constexpr std::string_view kUrnSys = "urn:lti:sysrole:ims/lis/";
    ParsedRole r;
    if (startsWith(uri, kLisV2)) {
        const auto rest = uri.substr(kLisV2.size());
        const auto hash = rest.find('#');
        if (hash == std::string_view::npos) return r;
        const auto path = rest.substr(0, hash);
        const auto frag = rest.substr(hash + 1);
        if (path == "membership") {
            r.scope = Scope::Context;
            r.name = frag;
        } else if (startsWith(path, "membership/")) {
            r.scope = Scope::Context;
            r.name = path.substr(11);
            r.sub = frag;
        } else if (path == "institution/person") {
            r.scope = Scope::Institution;
            r.name = frag;
        } else if (path == "system/person") {
            r.scope = Scope::System;
            r.name = frag;
        }
        return r;
    }
    if (startsWith(uri, kLtiSystem)) {
        r.scope = Scope::System;
        r.name = uri.substr(kLtiSystem.size());
        return r;
    }
    const auto urn = [&](std::string_view prefix, Scope scope) {
        const auto rest = uri.substr(prefix.size());
        const auto slash = rest.find('/');
        r.scope = scope;
        r.name = rest.substr(0, slash);
        if (slash != std::string_view::npos) r.sub = rest.substr(slash + 1);
    };
    if (startsWith(uri, kUrnContext)) {
        urn(kUrnContext, Scope::Context);
    } else if (startsWith(uri, kUrnInst)) {
        urn(kUrnInst, Scope::Institution);
    } else if (startsWith(uri, kUrnSys)) {
        urn(kUrnSys, Scope::System);
    } else if (uri.find(':') == std::string_view::npos && uri.find('/') == std::string_view::npos) {
        // Deprecated simple names are context roles.
        r.scope = Scope::Context;
        r.name = uri;
    }
    return r;
}

bool isInstructorLike(std::string_view n) {
    return n == "Instructor" || n == "TeachingAssistant" || n == "ContentDeveloper" ||
           n == "Administrator" || n == "Manager";
}

}  // namespace

CourseRole RoleSet::courseRole() const {
    if (instructor) return CourseRole::Instructor;
    if (student) return CourseRole::Student;
    if (admin) return CourseRole::Instructor;
    return CourseRole::None;
}

RoleSet mapRoles(const std::vector<std::string>& roleUris) {
    RoleSet out;
    bool anyContext = false;
    bool instInstructor = false;
    bool instStudent = false;
    for (const auto& uri : roleUris) {
        const auto r = parse(uri);
        switch (r.scope) {
            case Scope::Context:
                if (isInstructorLike(r.name)) {
                    out.instructor = true;
                    anyContext = true;
                } else if (r.name == "Learner" || r.name == "Member") {
                    out.student = true;
                    anyContext = true;
                } else if (r.name == "Mentor") {
                    out.mentor = true;
                    anyContext = true;
                }
                break;
            case Scope::Institution:
                if (r.name == "Administrator" || r.name == "SysAdmin") out.admin = true;
                if (r.name == "Instructor" || r.name == "Faculty") instInstructor = true;
                if (r.name == "Student" || r.name == "Learner") instStudent = true;
                break;
            case Scope::System:
                if (r.name == "Administrator" || r.name == "SysAdmin") out.admin = true;
                if (r.name == "TestUser") out.testUser = true;
                break;
            case Scope::Unknown:
                break;
        }
    }
    if (!anyContext) {
        out.instructor = instInstructor;
        out.student = !instInstructor && instStudent;
    }
    return out;
}

const char* courseRoleName(CourseRole role) {
    switch (role) {
        case CourseRole::Instructor:
            return "instructor";
        case CourseRole::Student:
            return "student";
        case CourseRole::None:
            return "none";
    }
    return "none";
}

}  // namespace assay::lti
