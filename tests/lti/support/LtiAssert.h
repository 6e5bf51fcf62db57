#pragma once
// CppUnit assertion that an expression throws LtiError with a given stable code.
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "assay/lti/Error.h"

#define ASSERT_LTI_ERROR(expr, expected)                                                  \
    do {                                                                                  \
        try {                                                                             \
            (void)(expr);                                                                 \
            CPPUNIT_FAIL("expected " + std::string(assay::lti::errorCodeName(expected))); \
        } catch (const assay::lti::LtiError& ltiError_) {                                 \
            CPPUNIT_ASSERT_EQUAL(std::string(assay::lti::errorCodeName(expected)),        \
                                 std::string(ltiError_.codeName()));                      \
        }                                                                                 \
    } while (0)
