#pragma once
// LTI role URIs mapped to what Assay cares about: instructor, student, administrator.
//
// Accepted shapes: LIS v2 context roles (…/lis/v2/membership#Instructor), context sub-roles
// (…/membership/Instructor#TeachingAssistant), institution and system roles
// (…/institution/person#Administrator, …/system/person#SysAdmin), the deprecated short forms
// ("Instructor", "Learner") and LTI 1.1 URNs (urn:lti:role:ims/lis/Instructor). Unknown
// roles are ignored. Membership roles describe the course; institution roles only fill in
// when a launch carries no membership role (Canvas sends both).
#include <string>
#include <vector>

namespace assay::lti {

enum class CourseRole { None, Student, Instructor };

struct RoleSet {
    bool instructor =
        false;  // context Instructor, TeachingAssistant, ContentDeveloper, Administrator, Manager
    bool student = false;   // context Learner (and its sub-roles)
    bool admin = false;     // institution or system Administrator / SysAdmin
    bool mentor = false;    // context Mentor (observers, parents)
    bool testUser = false;  // Canvas "Student view" test user

    // Instructor beats student; an administrator without a course role manages it.
    CourseRole courseRole() const;
};

RoleSet mapRoles(const std::vector<std::string>& roleUris);

const char* courseRoleName(CourseRole role);  // "none", "student", "instructor"

}  // namespace assay::lti
