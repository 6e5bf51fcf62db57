// Role URIs as Moodle and Canvas send them, mapped to instructor / student / admin.
#include <cppunit/extensions/HelperMacros.h>

#include "assay/lti/Roles.h"

using namespace assay::lti;

namespace {
const std::string kMembership = "http://purl.imsglobal.org/vocab/lis/v2/membership#";
const std::string kInstitution = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#";
const std::string kSystem = "http://purl.imsglobal.org/vocab/lis/v2/system/person#";

CourseRole role(const std::vector<std::string>& uris) {
    return mapRoles(uris).courseRole();
}
}  // namespace

class RolesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RolesTest);
    CPPUNIT_TEST(testMoodleRoles);
    CPPUNIT_TEST(testCanvasRoles);
    CPPUNIT_TEST(testShortFormsAndLegacyUrns);
    CPPUNIT_TEST(testInstitutionRolesOnlyFillIn);
    CPPUNIT_TEST(testUnknownAndEmpty);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testMoodleRoles() {
        CPPUNIT_ASSERT(role({kMembership + "Learner"}) == CourseRole::Student);
        CPPUNIT_ASSERT(role({kMembership + "Instructor"}) == CourseRole::Instructor);
        // A Moodle site administrator.
        const auto admin = mapRoles({kInstitution + "Administrator", kMembership + "Instructor",
                                     kSystem + "Administrator"});
        CPPUNIT_ASSERT(admin.admin);
        CPPUNIT_ASSERT(admin.instructor);
        CPPUNIT_ASSERT(admin.courseRole() == CourseRole::Instructor);
    }

    void testCanvasRoles() {
        // Teacher, student, TA, designer, observer, account admin, student view.
        CPPUNIT_ASSERT(role({kInstitution + "Instructor", kMembership + "Instructor",
                             kSystem + "User"}) == CourseRole::Instructor);
        CPPUNIT_ASSERT(role({kInstitution + "Student", kMembership + "Learner",
                             kSystem + "User"}) == CourseRole::Student);
        CPPUNIT_ASSERT(
            role({"http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant",
                  kSystem + "User"}) == CourseRole::Instructor);
        CPPUNIT_ASSERT(role({kMembership + "ContentDeveloper", kSystem + "User"}) ==
                       CourseRole::Instructor);
        const auto observer = mapRoles({kMembership + "Mentor", kSystem + "User"});
        CPPUNIT_ASSERT(observer.mentor);
        CPPUNIT_ASSERT(observer.courseRole() == CourseRole::None);
        // An admin who teaches elsewhere but is a student here is a student here.
        const auto mixed =
            mapRoles({kInstitution + "Administrator", kInstitution + "Instructor",
                      kInstitution + "Student", kMembership + "Learner", kSystem + "User"});
        CPPUNIT_ASSERT(mixed.admin);
        CPPUNIT_ASSERT(!mixed.instructor);
        CPPUNIT_ASSERT(mixed.courseRole() == CourseRole::Student);
        const auto testUser =
            mapRoles({kMembership + "Learner",
                      "http://purl.imsglobal.org/vocab/lti/system/person#TestUser"});
        CPPUNIT_ASSERT(testUser.testUser);
        CPPUNIT_ASSERT(testUser.courseRole() == CourseRole::Student);
        // An account admin without any enrollment manages the course.
        CPPUNIT_ASSERT(role({kInstitution + "Administrator", kSystem + "User"}) ==
                       CourseRole::Instructor);
    }

    void testShortFormsAndLegacyUrns() {
        CPPUNIT_ASSERT(role({"Instructor"}) == CourseRole::Instructor);
        CPPUNIT_ASSERT(role({"Learner"}) == CourseRole::Student);
        CPPUNIT_ASSERT(role({"TeachingAssistant"}) == CourseRole::Instructor);
        CPPUNIT_ASSERT(role({"urn:lti:role:ims/lis/Instructor"}) == CourseRole::Instructor);
        CPPUNIT_ASSERT(role({"urn:lti:role:ims/lis/Learner/NonCreditLearner"}) ==
                       CourseRole::Student);
        CPPUNIT_ASSERT(role({"urn:lti:role:ims/lis/TeachingAssistant"}) == CourseRole::Instructor);
        CPPUNIT_ASSERT(mapRoles({"urn:lti:sysrole:ims/lis/SysAdmin"}).admin);
        CPPUNIT_ASSERT(mapRoles({"urn:lti:instrole:ims/lis/Administrator"}).admin);
    }

    void testInstitutionRolesOnlyFillIn() {
        CPPUNIT_ASSERT(role({kInstitution + "Instructor"}) == CourseRole::Instructor);
        CPPUNIT_ASSERT(role({kInstitution + "Faculty"}) == CourseRole::Instructor);
        CPPUNIT_ASSERT(role({kInstitution + "Student"}) == CourseRole::Student);
        CPPUNIT_ASSERT(role({kInstitution + "Instructor", kMembership + "Learner"}) ==
                       CourseRole::Student);
    }

    void testUnknownAndEmpty() {
        CPPUNIT_ASSERT(role({}) == CourseRole::None);
        CPPUNIT_ASSERT(role({kSystem + "User", "https://example.com/custom#Role", "", "#",
                             "Guest"}) == CourseRole::None);
        CPPUNIT_ASSERT(role({"http://purl.imsglobal.org/vocab/lis/v2/membershipInstructor"}) ==
                       CourseRole::None);
        CPPUNIT_ASSERT(
            !mapRoles({kMembership + "Administrator"}).admin);  // course admin is not a site admin
        CPPUNIT_ASSERT_EQUAL(std::string("instructor"),
                             std::string(courseRoleName(CourseRole::Instructor)));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RolesTest);
