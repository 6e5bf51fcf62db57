#pragma once
// Errors that cross a module edge carry a stable code, a human message and an HTTP status.
#include <stdexcept>
#include <string>

namespace assay {

class ApiError : public std::runtime_error {
  public:
    ApiError(int status, std::string code, const std::string& message)
        : std::runtime_error(message), status_(status), code_(std::move(code)) {}
    int status() const { return status_; }
    const std::string& code() const { return code_; }

    static ApiError badRequest(std::string code, const std::string& msg) {
        return {400, std::move(code), msg};
    }
    static ApiError unauthorized(const std::string& msg = "authentication required") {
        return {401, "unauthenticated", msg};
    }
    static ApiError forbidden(const std::string& msg = "you may not do this") {
        return {403, "forbidden", msg};
    }
    static ApiError notFound(const std::string& what) {
        return {404, "not_found", what + " not found"};
    }
    static ApiError conflict(std::string code, const std::string& msg) {
        return {409, std::move(code), msg};
    }

  private:
    int status_;
    std::string code_;
};

}  // namespace assay
