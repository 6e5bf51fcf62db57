#include "assay/core/grading/rubric.h"

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cmath>

#include "assay/core/json.h"

namespace assay::grading {

Scored applyRubric(const bundle::Manifest& m,
                   const std::map<std::string, plugin::TestOutcome>& outcomes) {
    Scored s;
    s.maxScore = m.maxScore;
    double totalWeight = 0, earned = 0;
    std::map<std::string, bool> passed;
    for (const auto& t : m.tests) {
        totalWeight += t.weight;
        TestResult r;
        r.testName = t.name;
        r.hidden = t.hidden;
        // Dependencies: earlier tests that must pass (all, or any one) before this one counts.
        bool unlocked = true;
        if (!t.requires_.empty()) {
            int ok = 0;
            for (const auto& q : t.requires_)
                ok += passed[q] ? 1 : 0;
            unlocked = t.requiresAny ? ok > 0 : ok == static_cast<int>(t.requires_.size());
        }
        auto it = outcomes.find(t.name);
        double fraction = 0;
        Poco::JSON::Object::Ptr details = new Poco::JSON::Object;
        if (!unlocked) {
            std::string names;
            for (const auto& q : t.requires_)
                names += (names.empty() ? "'" : (t.requiresAny ? " or '" : " and '")) + q + "'";
            r.feedback = "Not checked yet: first make " + names + " pass.";
            details->set("status", "locked");
        } else if (it == outcomes.end()) {
            r.feedback = "This test could not be run.";
            details->set("status", "error");
        } else {
            const auto& o = it->second;
            fraction = o.status == "error" ? 0 : std::clamp(o.fraction, 0.0, 1.0);
            if (!std::isfinite(fraction)) fraction = 0;
            r.feedback = o.feedback;
            if (o.status != "passed" && !t.feedback.empty())
                r.feedback = t.feedback + (r.feedback.empty() ? "" : "\n\n" + r.feedback);
            details->set("status", o.status);
            if (!o.detailsJson.empty()) {
                try {
                    details->set("grader", json::parseObject(o.detailsJson));
                } catch (...) {
                }
            }
        }
        r.passed = unlocked && it != outcomes.end() && it->second.status == "passed" &&
                   fraction >= 1.0 - 1e-9;
        passed[t.name] = r.passed;
        r.maxPoints = t.weight;
        r.points = t.weight * fraction;
        earned += r.points;
        r.detailsJson = json::stringify(details);
        s.results.push_back(std::move(r));
    }
    // Scale weights so that the points add up to max_score.
    const double scale = totalWeight > 0 ? m.maxScore / totalWeight : 0;
    for (auto& r : s.results) {
        r.points *= scale;
        r.maxPoints *= scale;
    }
    s.score = totalWeight > 0 ? m.maxScore * earned / totalWeight : 0;
    s.score = std::round(s.score * 1e6) / 1e6;
    return s;
}

}  // namespace assay::grading
