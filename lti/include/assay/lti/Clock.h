#pragma once
// Wall-clock time in Unix seconds, injectable so expiry and rotation can be tested.
#include <cstdint>
#include <functional>

namespace assay::lti {

using Clock = std::function<std::int64_t()>;

std::int64_t systemNow();
// Wall-clock time in Unix milliseconds (for sub-second timestamps).
std::int64_t systemNowMillis();

}  // namespace assay::lti
