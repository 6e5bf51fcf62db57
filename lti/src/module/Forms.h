#pragma once
// Request parameters of the LTI endpoints: query string and x-www-form-urlencoded bodies.
#include <map>
#include <string>

#include "assay/core/http/router.h"

namespace assay::lti {

// Decoded name/value pairs of "a=1&b=2" (the first value of a repeated name wins).
std::map<std::string, std::string> parseUrlEncoded(const std::string& text);
// Every value of one name (checkbox lists).
std::vector<std::string> allValues(const std::string& text, const std::string& name);
// The query parameters merged with a form body (the body wins).
std::map<std::string, std::string> requestParams(http::Request& req);
// "a=1&b=2" from pairs, percent-encoded.
std::string encodeQuery(const std::map<std::string, std::string>& params);

}  // namespace assay::lti
