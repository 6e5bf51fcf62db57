#pragma once
// Route groups of the REST API (docs/api.md). Each registers its routes on the host's router.
namespace assay {
class Host;
namespace routes {
void system(Host& host);       // /healthz, /metrics, /api/v1/events, /api/v1/system/status
void auth(Host& host);         // /api/v1/auth/*, /api/v1/tokens
void users(Host& host);        // /api/v1/users
void courses(Host& host);      // /api/v1/courses, members
void assignments(Host& host);  // /api/v1/courses/{id}/assignments, /api/v1/assignments/{id}
void submissions(Host& host);
void plugins(Host& host);
void pages(Host& host);  // /, /app/*, /assets/*      // /api/v1/plugins, /api/v1/analyze  //
                         // /api/v1/assignments/{id}/submissions, /api/v1/submissions/{id}
}  // namespace routes
}  // namespace assay
