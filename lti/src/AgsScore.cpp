#include "assay/lti/AgsScore.h"

#include <Poco/JSON/Object.h>

#include <cmath>
#include <cstdio>
#include <ctime>

#include "assay/lti/Error.h"
#include "assay/lti/Json.h"

namespace assay::lti {
namespace {

std::string appendToPath(const std::string& url, const char* segment) {
    const auto scheme =
        url.rfind("https://", 0) == 0 ? 8u : (url.rfind("http://", 0) == 0 ? 7u : 0u);
    if (scheme == 0 || url.size() <= scheme || url[scheme] == '/' || url[scheme] == '?')
        throw LtiError(ErrorCode::AgsInvalidUrl, "line-item URL is not an absolute http(s) URL");
    auto end = url.find_first_of("?#", scheme);
    if (end == std::string::npos) end = url.size();
    std::string path = url.substr(0, end);
    const std::string rest = url.substr(end);
    if (path.find('/', scheme) == std::string::npos) path += '/';  // bare host
    if (path.back() != '/') path += '/';
    return path + segment + rest;
}

void checkScoreValue(double v, const char* what) {
    if (!std::isfinite(v) || v < 0)
        throw LtiError(ErrorCode::InvalidArgument,
                       std::string(what) + " must be a finite number >= 0");
}

}  // namespace

std::string scoresUrl(const std::string& lineItemUrl) {
    return appendToPath(lineItemUrl, "scores");
}
std::string resultsUrl(const std::string& lineItemUrl) {
    return appendToPath(lineItemUrl, "results");
}

const char* activityProgressName(ActivityProgress p) {
    switch (p) {
        case ActivityProgress::Initialized:
            return "Initialized";
        case ActivityProgress::Started:
            return "Started";
        case ActivityProgress::InProgress:
            return "InProgress";
        case ActivityProgress::Submitted:
            return "Submitted";
        case ActivityProgress::Completed:
            return "Completed";
    }
    return "Completed";
}

const char* gradingProgressName(GradingProgress p) {
    switch (p) {
        case GradingProgress::FullyGraded:
            return "FullyGraded";
        case GradingProgress::Pending:
            return "Pending";
        case GradingProgress::PendingManual:
            return "PendingManual";
        case GradingProgress::Failed:
            return "Failed";
        case GradingProgress::NotReady:
            return "NotReady";
    }
    return "NotReady";
}

std::string iso8601Millis(std::int64_t unixMillis) {
    std::int64_t secs = unixMillis / 1000;
    std::int64_t ms = unixMillis % 1000;
    if (ms < 0) {
        ms += 1000;
        --secs;
    }
    const std::time_t t = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms));
    return buf;
}

std::string scoreJson(const Score& score) {
    if (score.userId.empty()) throw LtiError(ErrorCode::InvalidArgument, "score without userId");
    if (score.scoreGiven && !score.scoreMaximum)
        throw LtiError(ErrorCode::InvalidArgument, "scoreGiven needs scoreMaximum");
    Poco::JSON::Object o;
    o.set("userId", score.userId);
    if (score.scoreMaximum) {
        if (!std::isfinite(*score.scoreMaximum) || *score.scoreMaximum <= 0)
            throw LtiError(ErrorCode::InvalidArgument, "scoreMaximum must be positive");
        o.set("scoreMaximum", *score.scoreMaximum);
    }
    if (score.scoreGiven) {
        checkScoreValue(*score.scoreGiven, "scoreGiven");
        o.set("scoreGiven", *score.scoreGiven);
    }
    o.set("activityProgress", activityProgressName(score.activityProgress));
    o.set("gradingProgress", gradingProgressName(score.gradingProgress));
    o.set("timestamp", iso8601Millis(score.timestampMillis));
    if (!score.comment.empty()) o.set("comment", score.comment);
    if (score.submittedAtMillis) {
        const auto at = iso8601Millis(*score.submittedAtMillis);
        Poco::JSON::Object::Ptr submission = new Poco::JSON::Object;
        submission->set("submittedAt", at);
        o.set("submission", submission);
        Poco::JSON::Object::Ptr canvas = new Poco::JSON::Object;
        canvas->set("submitted_at", at);
        o.set("https://canvas.instructure.com/lti/submission", canvas);
    }
    return json::stringify(o);
}

std::string lineItemJson(const LineItemSpec& spec) {
    if (!std::isfinite(spec.scoreMaximum) || spec.scoreMaximum <= 0)
        throw LtiError(ErrorCode::InvalidArgument, "scoreMaximum must be positive");
    if (spec.label.empty()) throw LtiError(ErrorCode::InvalidArgument, "line item needs a label");
    Poco::JSON::Object o;
    o.set("scoreMaximum", spec.scoreMaximum);
    o.set("label", spec.label);
    if (!spec.resourceId.empty()) o.set("resourceId", spec.resourceId);
    if (!spec.tag.empty()) o.set("tag", spec.tag);
    if (!spec.resourceLinkId.empty()) o.set("resourceLinkId", spec.resourceLinkId);
    return json::stringify(o);
}

}  // namespace assay::lti
