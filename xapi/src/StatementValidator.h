// Internal: the single-pass validator behind Validator.h. Throws XapiException with the JSON
// path of the first problem; keeps the path as a fixed stack of views so valid statements
// cost no allocation beyond what Poco already did.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "JsonAccess.h"
#include "assay/xapi/Error.h"
#include "assay/xapi/Version.h"

namespace assay::xapi::detail {

class StatementValidator {
  public:
    explicit StatementValidator(Version version) : version_(version) {}

    // Root statement; `index` >= 0 prefixes paths with "[index]" (batch element).
    void statement(const Poco::Dynamic::Var& v, int index = -1);

    enum class ActorKind { Agent, Group };
    enum class ActorRole {
        Actor,
        ObjectActor,
        Member,
        Instructor,
        Team,
        Authority,
        ContextAgent,
        ContextGroup,
        Parameter,
        AgentOnly
    };
    ActorKind actor(const Poco::Dynamic::Var& v, ActorRole role);

    enum class ObjectKind { Activity, Agent, Group, StatementRef, SubStatement };

    // Path handling (public for the RAII scope helper).
    struct Segment {  // trivially constructible: the path stack is never zero-filled
        const char* keyData;
        size_t keySize;
        int index;  // >= 0 for an array element
    };
    void push(std::string_view key, int index = -1);
    void pop() { --depth_; }
    [[noreturn]] void fail(ErrorCode code, std::string message);
    std::string path() const;

  private:
    struct Scope {
        StatementValidator& v;
        Scope(StatementValidator& validator, std::string_view key, int index = -1) : v(validator) {
            v.push(key, index);
        }
        ~Scope() { v.pop(); }
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;
    };

    // Typed accessors: fail with NullValue / WrongType.
    const Poco::JSON::Object& object(const Poco::Dynamic::Var& v);
    const Poco::JSON::Array& array(const Poco::Dynamic::Var& v);
    const std::string& string(const Poco::Dynamic::Var& v);
    double number(const Poco::Dynamic::Var& v);
    void boolean(const Poco::Dynamic::Var& v);

    // Reads the members of `o` into `out` (by index of `keys`); unknown keys fail.
    template <size_t N>
    void collect(const Poco::JSON::Object& o, const std::array<std::string_view, N>& keys,
                 std::array<const Poco::Dynamic::Var*, N>& out);
    void required(const Poco::Dynamic::Var* v, std::string_view key);

    void iri(const Poco::Dynamic::Var& v);
    void uuid(const Poco::Dynamic::Var& v);
    void languageMap(const Poco::Dynamic::Var& v);
    void extensions(const Poco::Dynamic::Var& v);
    void timestamp(const Poco::Dynamic::Var& v);

    void account(const Poco::Dynamic::Var& v);
    bool verb(const Poco::Dynamic::Var& v);  // true when it is the voiding verb
    ObjectKind statementObject(const Poco::Dynamic::Var& v, bool insideSubStatement);
    void activity(const Poco::JSON::Object& o);
    void definition(const Poco::Dynamic::Var& v);
    void interactionComponents(const Poco::Dynamic::Var& v);
    void statementRef(const Poco::JSON::Object& o);
    void subStatement(const Poco::JSON::Object& o);
    void result(const Poco::Dynamic::Var& v);
    void score(const Poco::Dynamic::Var& v);
    void context(const Poco::Dynamic::Var& v, ObjectKind objectKind);
    void contextActivities(const Poco::Dynamic::Var& v);
    void contextAgents(const Poco::Dynamic::Var& v, bool groups);
    void attachments(const Poco::Dynamic::Var& v);

    Version version_;
    std::array<Segment, 48> segments_;  // only [0, depth_) is meaningful
    size_t depth_ = 0;
    size_t overflow_ = 0;
};

template <size_t N>
void StatementValidator::collect(const Poco::JSON::Object& o,
                                 const std::array<std::string_view, N>& keys,
                                 std::array<const Poco::Dynamic::Var*, N>& out) {
    out.fill(nullptr);
    for (auto it = o.begin(); it != o.end(); ++it) {
        const std::string& k = it->first;
        size_t i = 0;
        // Length and first character rule out most candidates before a memcmp.
        while (i < N &&
               (keys[i].size() != k.size() || (!k.empty() && keys[i][0] != k[0]) || keys[i] != k)) {
            ++i;
        }
        if (i == N) {
            Scope s(*this, k);
            fail(ErrorCode::UnknownProperty, "property '" + k + "' is not allowed here");
        }
        out[i] = &it->second;
    }
}

}  // namespace assay::xapi::detail
