#pragma once
// What the LTI endpoints share: the host, the registry, state and nonce stores, the outbound
// HTTP client, the platform JWKS cache, the tool's keys and the service-token cache.
#include <memory>
#include <string>

#include "assay/core/host.h"
#include "assay/lti/DbStores.h"
#include "assay/lti/HttpClient.h"
#include "assay/lti/JwksCache.h"
#include "assay/lti/PlatformStore.h"
#include "assay/lti/ServiceTokens.h"
#include "assay/lti/ToolKeyStore.h"

namespace assay::lti {

struct Services {
    explicit Services(Host& h);

    Host& host;
    PlatformStore platforms;
    DbNonceStore nonces;
    DbLoginStateStore states;
    std::unique_ptr<HttpClient> http;
    std::unique_ptr<JwksCache> jwks;
    std::unique_ptr<ToolKeyStore> keys;
    std::unique_ptr<ServiceTokens> tokens;

    // The tool's externally visible base URL without a trailing slash: public_url, or the
    // running server's address when public_url is not set.
    std::string publicUrl() const;
    std::string launchUrl() const { return publicUrl() + "/lti/launch"; }
    bool secureCookies() const;
};

// Route registration, one file each.
void registerLaunchRoutes(Services& s);
void registerDeepLinkRoutes(Services& s);
void registerRegistrationRoutes(Services& s);
void registerAdminRoutes(Services& s);
void registerCourseRoutes(Services& s);
void registerGradePassback(Services& s);

// Asks for an NRPS roster sync of the course when the last one is older than a day.
void requestRosterSyncIfStale(Services& s, std::int64_t courseId);

}  // namespace assay::lti
