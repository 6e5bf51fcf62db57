#include "assay/lti/Registration.h"

#include <algorithm>

namespace assay::lti {

bool PlatformRegistration::hasDeployment(const std::string& deploymentId) const {
    return std::find(deploymentIds.begin(), deploymentIds.end(), deploymentId) !=
           deploymentIds.end();
}

}  // namespace assay::lti
