#pragma once
// Turns Poco's HTTP requests into Router calls: request ids, authentication, role and CSRF
// checks, JSON errors, security headers, access log and metrics.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

namespace assay {
class Host;

class DispatchFactory : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    explicit DispatchFactory(Host& host) : host_(host) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override;

  private:
    Host& host_;
};

}  // namespace assay
