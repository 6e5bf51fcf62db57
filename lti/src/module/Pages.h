#pragma once
// The few HTML pages the LTI endpoints answer with: errors, auto-submitting forms, scripts.
#include <string>
#include <utility>
#include <vector>

#include "assay/core/http/router.h"

namespace assay::lti::pages {

std::string escape(const std::string& text);

// A plain page saying what went wrong, with the request id as reference.
void error(http::Response& res, int status, const std::string& title, const std::string& message);

// A page whose form posts `fields` to `action` as soon as it loads (with a button as fallback).
void autoPost(http::Response& res, const std::string& action,
              const std::vector<std::pair<std::string, std::string>>& fields,
              const std::string& target = "");

// A full HTML document whose body ends with one inline script.
void scriptPage(http::Response& res, const std::string& title, const std::string& bodyHtml,
                const std::string& script);

// A JavaScript string literal of text (quotes, backslashes, "</" and line breaks escaped).
std::string jsString(const std::string& text);

}  // namespace assay::lti::pages
