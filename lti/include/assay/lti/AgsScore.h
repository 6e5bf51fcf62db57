#pragma once
// Assignment and Grade Services 2.0 helpers: service URLs and the score and line-item JSON.
#include <cstdint>
#include <optional>
#include <string>

namespace assay::lti {

// {lineitem}/scores: "/scores" goes at the end of the path, before any query string, which is
// kept (Moodle: …/lineitem?type_id=3, Canvas: …/line_items/7?foo=bar). Throws
// ags_invalid_url unless the URL is an absolute http(s) URL.
std::string scoresUrl(const std::string& lineItemUrl);
// {lineitem}/results, built the same way.
std::string resultsUrl(const std::string& lineItemUrl);

enum class ActivityProgress { Initialized, Started, InProgress, Submitted, Completed };
enum class GradingProgress { FullyGraded, Pending, PendingManual, Failed, NotReady };

const char* activityProgressName(ActivityProgress p);
const char* gradingProgressName(GradingProgress p);

struct Score {
    std::string userId;  // the launch's sub
    std::optional<double> scoreGiven;
    std::optional<double> scoreMaximum;  // required whenever scoreGiven is set
    ActivityProgress activityProgress = ActivityProgress::Completed;
    GradingProgress gradingProgress = GradingProgress::FullyGraded;
    std::int64_t timestampMillis = 0;  // when the score was set in Assay (Unix ms)
    std::string comment;
    // When the student submitted (Unix ms); also sent in Canvas's submission extension so
    // Canvas does not mark a regraded submission late.
    std::optional<std::int64_t> submittedAtMillis;
};

// The application/vnd.ims.lis.v1.score+json body. Throws invalid_argument for an empty
// userId, a scoreGiven without scoreMaximum, a negative or non-finite score, or a
// non-positive scoreMaximum.
std::string scoreJson(const Score& score);

// ISO 8601 UTC with milliseconds: 2026-11-22T01:02:03.456Z
std::string iso8601Millis(std::int64_t unixMillis);

struct LineItemSpec {
    double scoreMaximum = 100;
    std::string label;
    std::string resourceId;
    std::string tag;
    std::string resourceLinkId;
};

// The application/vnd.ims.lis.v2.lineitem+json body for creating a line item.
std::string lineItemJson(const LineItemSpec& spec);

inline constexpr const char* kScoreMediaType = "application/vnd.ims.lis.v1.score+json";
inline constexpr const char* kLineItemMediaType = "application/vnd.ims.lis.v2.lineitem+json";
inline constexpr const char* kLineItemContainerMediaType =
    "application/vnd.ims.lis.v2.lineitemcontainer+json";

}  // namespace assay::lti
