#pragma once
// Grades one submission: sends each test to the grader plugin that handles its type (io,
// unittest, or a vendor's), then applies the rubric. Used by the queue in assayd and by
// `assay grade` offline; it touches no database.
#include <string>

#include "assay/core/bundle/manifest.h"
#include "assay/core/grading/rubric.h"
#include "assay/core/plugins/plugin_manager.h"

namespace assay::grading {

struct GradeInput {
    int64_t submissionId = 0;
    std::string kind = "run";  // run or submit
    bundle::Manifest manifest;
    std::string manifestJson;
    FileMap assignmentFiles;
    FileMap studentFiles;
};

struct GradeOutput {
    Scored scored;
    // True when the sandbox or a grader failed: nothing here may be blamed on the student, and
    // the job is tried again rather than recorded.
    bool systemError = false;
    std::string error;
    std::map<std::string, plugin::TestOutcome> outcomes;
};

class GradingService {
  public:
    explicit GradingService(PluginManager& plugins) : plugins_(plugins) {}
    GradeOutput grade(const GradeInput& in);

  private:
    PluginManager& plugins_;
};

}  // namespace assay::grading
