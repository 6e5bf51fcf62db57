#pragma once
// JSON views of domain records, as the REST API returns them.
#include "assay/core/bundle/manifest.h"
#include "assay/core/json.h"
#include "assay/core/model.h"

namespace assay::views {

json::Object object();  // a new empty object
json::Array array();
json::Object user(const User& u);
json::Object course(const Course& c);
json::Object assignment(const Assignment& a);
// What a student may see of a version: no solution, no hidden tests, no test files.
json::Object studentVersion(const AssignmentVersion& v, const bundle::Manifest& m);
// Everything, for instructors.
json::Object fullVersion(const AssignmentVersion& v);
json::Object submission(const Submission& s, bool withFiles);
json::Object result(const TestResult& r);

}  // namespace assay::views
