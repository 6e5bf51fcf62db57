// Table of malformed and well-formed statements under both xAPI versions.
#include <cppunit/extensions/HelperMacros.h>

#include <set>
#include <sstream>
#include <vector>

#include <Poco/JSON/Stringifier.h>

#include "StatementCases.h"
#include "assay/xapi/Validator.h"

using namespace assay::xapi;
using namespace xapitest;

namespace {

constexpr Version V1 = Version::V1_0_3;
constexpr Version V2 = Version::V2_0_0;

struct BadCase {
    const char* name;
    std::string json;
    ErrorCode code;
    const char* path;
    Version version = V1;
};

const std::string kStmtRef =
    R"({"objectType":"StatementRef","id":"9e13cefd-53d3-4eac-b5ed-2cf6693903bb"})";
const std::string kGroupMembers =
    R"([{"mbox":"mailto:a@example.com"},{"openid":"http://openid.example.org/b"}])";

std::string interaction(const std::string& body) {
    return withObject(R"({"id":"http://example.com/q1","definition":)" + body + "}");
}
std::string ctx(const std::string& body, const std::string& object = kObject) {
    return withObject(object, "\"context\":" + body);
}
std::string res(const std::string& body) {
    return with("\"result\":" + body);
}
std::string att(const std::string& body) {
    return with("\"attachments\":[" + body + "]");
}
const std::string kAtt =
    R"("usageType":"http://example.com/usage","display":{"en":"a"},"contentType":"text/plain")";
const std::string kSha =
    R"("sha2":"495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a")";

std::vector<BadCase> badCases() {
    const std::string agentObj = R"({"objectType":"Agent","mbox":"mailto:b@example.com"})";
    return {
        {"not json", "{", ErrorCode::InvalidJson, "$"},
        {"root not object", "[1]", ErrorCode::WrongType, "$"},
        {"missing actor", R"({"verb":)" + kVerb + R"(,"object":)" + kObject + "}",
         ErrorCode::MissingProperty, "$"},
        {"missing verb", R"({"actor":)" + kActor + R"(,"object":)" + kObject + "}",
         ErrorCode::MissingProperty, "$"},
        {"missing object", R"({"actor":)" + kActor + R"(,"verb":)" + kVerb + "}",
         ErrorCode::MissingProperty, "$"},
        {"unknown top-level", with(R"("foo":1)"), ErrorCode::UnknownProperty, "$.foo"},
        {"key case",
         R"({"Actor":)" + kActor + R"(,"verb":)" + kVerb + R"(,"object":)" + kObject + "}",
         ErrorCode::UnknownProperty, "$.Actor"},
        {"id not uuid", with(R"("id":"1234")"), ErrorCode::InvalidUuid, "$.id"},
        {"id null", with(R"("id":null)"), ErrorCode::NullValue, "$.id"},
        {"id number", with(R"("id":12)"), ErrorCode::WrongType, "$.id"},
        {"agent without ifi", withActor(R"({"name":"x"})"), ErrorCode::IfiMissing, "$.actor"},
        {"agent two ifis",
         withActor(R"({"mbox":"mailto:a@example.com","openid":"http://openid.example.org/a"})"),
         ErrorCode::IfiMultiple, "$.actor"},
        {"mbox without mailto", withActor(R"({"mbox":"a@example.com"})"), ErrorCode::InvalidMbox,
         "$.actor.mbox"},
        {"mbox empty address", withActor(R"({"mbox":"mailto:"})"), ErrorCode::InvalidMbox,
         "$.actor.mbox"},
        {"sha1 short", withActor(R"({"mbox_sha1sum":"abc"})"), ErrorCode::InvalidSha1,
         "$.actor.mbox_sha1sum"},
        {"openid relative", withActor(R"({"openid":"/me"})"), ErrorCode::InvalidIri,
         "$.actor.openid"},
        {"account without name", withActor(R"({"account":{"homePage":"http://lms.example.com"}})"),
         ErrorCode::MissingProperty, "$.actor.account"},
        {"account homePage relative",
         withActor(R"({"account":{"homePage":"lms.example.com","name":"7"}})"),
         ErrorCode::InvalidIri, "$.actor.account.homePage"},
        {"account unknown member",
         withActor(R"({"account":{"homePage":"http://lms.example.com","name":"7","id":1}})"),
         ErrorCode::UnknownProperty, "$.actor.account.id"},
        {"objectType lowercase",
         withActor(R"({"objectType":"agent","mbox":"mailto:a@example.com"})"),
         ErrorCode::InvalidObjectType, "$.actor.objectType"},
        {"agent with members",
         withActor(R"({"mbox":"mailto:a@example.com","member":)" + kGroupMembers + "}"),
         ErrorCode::UnknownProperty, "$.actor.member"},
        {"anonymous group without members", withActor(R"({"objectType":"Group","name":"g"})"),
         ErrorCode::InvalidGroup, "$.actor"},
        {"anonymous group empty members", withActor(R"({"objectType":"Group","member":[]})"),
         ErrorCode::InvalidGroup, "$.actor"},
        {"group inside group",
         withActor(
             R"({"objectType":"Group","member":[{"objectType":"Group","mbox":"mailto:g@example.com"}]})"),
         ErrorCode::InvalidGroup, "$.actor.member[0].objectType"},
        {"group two ifis",
         withActor(
             R"({"objectType":"Group","mbox":"mailto:g@example.com","openid":"http://o.example.org/"})"),
         ErrorCode::IfiMultiple, "$.actor"},
        {"members not array",
         withActor(R"({"objectType":"Group","member":{"mbox":"mailto:a@example.com"}})"),
         ErrorCode::WrongType, "$.actor.member"},
        {"member without ifi", withActor(R"({"objectType":"Group","member":[{"name":"n"}]})"),
         ErrorCode::IfiMissing, "$.actor.member[0]"},
        {"actor name number", withActor(R"({"name":5,"mbox":"mailto:a@example.com"})"),
         ErrorCode::WrongType, "$.actor.name"},
        {"actor not object", withActor(R"("mailto:a@example.com")"), ErrorCode::WrongType,
         "$.actor"},
        {"verb without id", withVerb(R"({"display":{"en":"x"}})"), ErrorCode::MissingProperty,
         "$.verb"},
        {"verb id not iri", withVerb(R"({"id":"attempted"})"), ErrorCode::InvalidIri, "$.verb.id"},
        {"verb id with space", withVerb(R"({"id":"http://example.com/a b"})"),
         ErrorCode::InvalidIri, "$.verb.id"},
        {"verb id bad escape", withVerb(R"({"id":"http://example.com/%zz"})"),
         ErrorCode::InvalidIri, "$.verb.id"},
        {"display bad tag", withVerb(R"({"id":"http://example.com/v","display":{"en_US":"x"}})"),
         ErrorCode::InvalidLanguageTag, "$.verb.display.en_US"},
        {"display value number", withVerb(R"({"id":"http://example.com/v","display":{"en-US":1}})"),
         ErrorCode::WrongType, "$.verb.display['en-US']"},
        {"display value null", withVerb(R"({"id":"http://example.com/v","display":{"en":null}})"),
         ErrorCode::NullValue, "$.verb.display.en"},
        {"verb unknown member", withVerb(R"({"id":"http://example.com/v","name":"x"})"),
         ErrorCode::UnknownProperty, "$.verb.name"},
        {"activity without id", withObject(R"({"definition":{}})"), ErrorCode::MissingProperty,
         "$.object"},
        {"activity id empty", withObject(R"({"id":""})"), ErrorCode::InvalidIri, "$.object.id"},
        {"objectType activity lowercase",
         withObject(R"({"objectType":"activity","id":"http://e.com/a"})"),
         ErrorCode::InvalidObjectType, "$.object.objectType"},
        {"objectType unknown", withObject(R"({"objectType":"Person","id":"http://e.com/a"})"),
         ErrorCode::InvalidObjectType, "$.object.objectType"},
        {"agent object without objectType", withObject(R"({"mbox":"mailto:b@example.com"})"),
         ErrorCode::UnknownProperty, "$.object.mbox"},
        {"definition unknown member",
         withObject(R"({"id":"http://e.com/a","definition":{"foo":1}})"),
         ErrorCode::UnknownProperty, "$.object.definition.foo"},
        {"definition name string",
         withObject(R"({"id":"http://e.com/a","definition":{"name":"x"}})"), ErrorCode::WrongType,
         "$.object.definition.name"},
        {"definition type relative",
         withObject(R"({"id":"http://e.com/a","definition":{"type":"course"}})"),
         ErrorCode::InvalidIri, "$.object.definition.type"},
        {"moreInfo relative",
         withObject(R"({"id":"http://e.com/a","definition":{"moreInfo":"x"}})"),
         ErrorCode::InvalidIri, "$.object.definition.moreInfo"},
        {"unknown interactionType", interaction(R"({"interactionType":"multiple-choice"})"),
         ErrorCode::InvalidInteraction, "$.object.definition.interactionType"},
        {"choices with likert",
         interaction(R"({"interactionType":"likert","choices":[{"id":"a"}]})"),
         ErrorCode::InvalidInteraction, "$.object.definition.choices"},
        {"duplicate component ids",
         interaction(R"({"interactionType":"choice","choices":[{"id":"a"},{"id":"a"}]})"),
         ErrorCode::InvalidInteraction, "$.object.definition.choices[1].id"},
        {"component without id",
         interaction(R"({"interactionType":"performance","steps":[{"description":{"en":"x"}}]})"),
         ErrorCode::MissingProperty, "$.object.definition.steps[0]"},
        {"pattern not array",
         interaction(R"({"interactionType":"fill-in","correctResponsesPattern":"x"})"),
         ErrorCode::WrongType, "$.object.definition.correctResponsesPattern"},
        {"components without type", interaction(R"({"choices":[{"id":"a"}]})"),
         ErrorCode::InvalidInteraction, "$.object.definition.choices"},
        {"statementref without id", withObject(R"({"objectType":"StatementRef"})"),
         ErrorCode::MissingProperty, "$.object"},
        {"statementref id not uuid",
         withObject(R"({"objectType":"StatementRef","id":"http://e.com/s"})"),
         ErrorCode::InvalidUuid, "$.object.id"},
        {"substatement with id",
         withObject(
             R"({"objectType":"SubStatement","id":"9e13cefd-53d3-4eac-b5ed-2cf6693903bb","actor":)" +
             kActor + R"(,"verb":)" + kVerb + R"(,"object":)" + kObject + "}"),
         ErrorCode::SubStatementProperty, "$.object.id"},
        {"substatement with stored",
         withObject(R"({"objectType":"SubStatement","stored":"2024-01-01T00:00:00Z","actor":)" +
                    kActor + R"(,"verb":)" + kVerb + R"(,"object":)" + kObject + "}"),
         ErrorCode::SubStatementProperty, "$.object.stored"},
        {"substatement with version",
         withObject(R"({"objectType":"SubStatement","version":"1.0.0","actor":)" + kActor +
                    R"(,"verb":)" + kVerb + R"(,"object":)" + kObject + "}"),
         ErrorCode::SubStatementProperty, "$.object.version"},
        {"nested substatement",
         withObject(R"({"objectType":"SubStatement","actor":)" + kActor + R"(,"verb":)" + kVerb +
                    R"(,"object":{"objectType":"SubStatement","actor":)" + kActor + R"(,"verb":)" +
                    kVerb + R"(,"object":)" + kObject + "}}"),
         ErrorCode::NestedSubStatement, "$.object.object.objectType"},
        {"substatement without verb",
         withObject(R"({"objectType":"SubStatement","actor":)" + kActor + R"(,"object":)" +
                    kObject + "}"),
         ErrorCode::MissingProperty, "$.object"},
        {"voiding an activity", withVerb(R"({"id":"http://adlnet.gov/expapi/verbs/voided"})"),
         ErrorCode::VoidingTarget, "$.object"},
        {"scaled above 1", res(R"({"score":{"scaled":1.5}})"), ErrorCode::ScoreOutOfRange,
         "$.result.score.scaled"},
        {"scaled below -1", res(R"({"score":{"scaled":-1.01}})"), ErrorCode::ScoreOutOfRange,
         "$.result.score.scaled"},
        {"raw above max", res(R"({"score":{"raw":11,"min":0,"max":10}})"),
         ErrorCode::ScoreOutOfRange, "$.result.score.raw"},
        {"raw below min", res(R"({"score":{"raw":-1,"min":0}})"), ErrorCode::ScoreOutOfRange,
         "$.result.score.raw"},
        {"min not below max", res(R"({"score":{"min":5,"max":5}})"), ErrorCode::ScoreOutOfRange,
         "$.result.score.min"},
        {"raw as string", res(R"({"score":{"raw":"5"}})"), ErrorCode::WrongType,
         "$.result.score.raw"},
        {"success as string", res(R"({"success":"true"})"), ErrorCode::WrongType,
         "$.result.success"},
        {"completion as number", res(R"({"completion":1})"), ErrorCode::WrongType,
         "$.result.completion"},
        {"duration prose", res(R"({"duration":"1 hour"})"), ErrorCode::InvalidDuration,
         "$.result.duration"},
        {"duration weeks combined", res(R"({"duration":"P4W1D"})"), ErrorCode::InvalidDuration,
         "$.result.duration"},
        {"duration empty time", res(R"({"duration":"P1DT"})"), ErrorCode::InvalidDuration,
         "$.result.duration"},
        {"result extension key", res(R"({"extensions":{"foo":1}})"), ErrorCode::InvalidIri,
         "$.result.extensions.foo"},
        {"result null", with(R"("result":null)"), ErrorCode::NullValue, "$.result"},
        {"result unknown", res(R"({"grade":1})"), ErrorCode::UnknownProperty, "$.result.grade"},
        {"registration not uuid", ctx(R"({"registration":"abc"})"), ErrorCode::InvalidUuid,
         "$.context.registration"},
        {"team is agent", ctx(R"({"team":{"mbox":"mailto:t@example.com"}})"),
         ErrorCode::InvalidObjectType, "$.context.team"},
        {"instructor without ifi", ctx(R"({"instructor":{"name":"x"}})"), ErrorCode::IfiMissing,
         "$.context.instructor"},
        {"revision with agent object", ctx(R"({"revision":"r1"})", agentObj),
         ErrorCode::ContextNotActivity, "$.context.revision"},
        {"platform with statementref", ctx(R"({"platform":"p"})", kStmtRef),
         ErrorCode::ContextNotActivity, "$.context.platform"},
        {"context language bad", ctx(R"({"language":"english!"})"), ErrorCode::InvalidLanguageTag,
         "$.context.language"},
        {"contextActivities unknown key", ctx(R"({"contextActivities":{"parents":[]}})"),
         ErrorCode::UnknownProperty, "$.context.contextActivities.parents"},
        {"contextActivities agent",
         ctx(R"({"contextActivities":{"parent":[{"objectType":"Agent","id":"http://e.com/a"}]}})"),
         ErrorCode::InvalidObjectType, "$.context.contextActivities.parent[0].objectType"},
        {"contextActivities string", ctx(R"({"contextActivities":{"other":"http://e.com/a"}})"),
         ErrorCode::WrongType, "$.context.contextActivities.other"},
        {"context statement not ref",
         ctx(R"({"statement":{"objectType":"Activity","id":"http://e.com/a"}})"),
         ErrorCode::InvalidObjectType, "$.context.statement.objectType"},
        {"contextAgents in 1.0.3",
         ctx(R"({"contextAgents":[{"objectType":"contextAgent","agent":{"mbox":"mailto:c@example.com"}}]})"),
         ErrorCode::UnknownProperty, "$.context.contextAgents"},
        {"timestamp bad month", with(R"("timestamp":"2024-13-01T00:00:00Z")"),
         ErrorCode::InvalidTimestamp, "$.timestamp"},
        {"timestamp negative zero", with(R"("timestamp":"2024-01-01T00:00:00-00:00")"),
         ErrorCode::InvalidTimestamp, "$.timestamp"},
        {"timestamp date only", with(R"("timestamp":"2024-01-01")"), ErrorCode::InvalidTimestamp,
         "$.timestamp"},
        {"timestamp without zone in 2.0", with(R"("timestamp":"2024-01-01T10:00:00")"),
         ErrorCode::InvalidTimestamp, "$.timestamp", V2},
        {"stored bad", with(R"("stored":"yesterday")"), ErrorCode::InvalidTimestamp, "$.stored"},
        {"version 2.0.0 under 1.0.3", with(R"("version":"2.0.0")"), ErrorCode::InvalidVersion,
         "$.version"},
        {"version 0.95", with(R"("version":"0.95")"), ErrorCode::InvalidVersion, "$.version", V2},
        {"version 1.1.0", with(R"("version":"1.1.0")"), ErrorCode::InvalidVersion, "$.version"},
        {"version prose", with(R"("version":"should fail")"), ErrorCode::InvalidVersion,
         "$.version", V2},
        {"version 1.0.", with(R"("version":"1.0.")"), ErrorCode::InvalidVersion, "$.version"},
        {"authority identified group",
         with(R"("authority":{"objectType":"Group","mbox":"mailto:g@example.com"})"),
         ErrorCode::InvalidAuthority, "$.authority"},
        {"authority three members",
         with(
             R"("authority":{"objectType":"Group","member":[{"mbox":"mailto:a@e.com"},{"mbox":"mailto:b@e.com"},{"mbox":"mailto:c@e.com"}]})"),
         ErrorCode::InvalidAuthority, "$.authority"},
        {"attachment without sha2", att("{" + kAtt + R"(,"length":1})"), ErrorCode::MissingProperty,
         "$.attachments[0]"},
        {"attachment negative length", att("{" + kAtt + R"(,"length":-1,)" + kSha + "}"),
         ErrorCode::InvalidAttachment, "$.attachments[0].length"},
        {"attachment length string", att("{" + kAtt + R"(,"length":"12",)" + kSha + "}"),
         ErrorCode::WrongType, "$.attachments[0].length"},
        {"attachment bad sha2", att("{" + kAtt + R"(,"length":1,"sha2":"xyz"})"),
         ErrorCode::InvalidAttachment, "$.attachments[0].sha2"},
        {"attachment bad content type",
         att(R"({"usageType":"http://e.com/u","display":{"en":"a"},"contentType":"text","length":1,)" +
             kSha + "}"),
         ErrorCode::InvalidAttachment, "$.attachments[0].contentType"},
        {"attachment usageType relative",
         att(R"({"usageType":"u","display":{"en":"a"},"contentType":"text/plain","length":1,)" +
             kSha + "}"),
         ErrorCode::InvalidIri, "$.attachments[0].usageType"},
        {"attachments not array", with(R"("attachments":{})"), ErrorCode::WrongType,
         "$.attachments"},
        {"contextAgent without objectType",
         ctx(R"({"contextAgents":[{"agent":{"mbox":"mailto:c@example.com"}}]})"),
         ErrorCode::MissingProperty, "$.context.contextAgents[0]", V2},
        {"contextAgent is group",
         ctx(R"({"contextAgents":[{"objectType":"contextAgent","agent":{"objectType":"Group","mbox":"mailto:g@e.com"}}]})"),
         ErrorCode::InvalidObjectType, "$.context.contextAgents[0].agent.objectType", V2},
        {"contextGroup is agent",
         ctx(R"({"contextGroups":[{"objectType":"contextGroup","group":{"mbox":"mailto:g@e.com"}}]})"),
         ErrorCode::InvalidObjectType, "$.context.contextGroups[0].group", V2},
        {"relevantTypes empty",
         ctx(R"({"contextAgents":[{"objectType":"contextAgent","agent":{"mbox":"mailto:c@e.com"},"relevantTypes":[]}]})"),
         ErrorCode::WrongType, "$.context.contextAgents[0].relevantTypes", V2},
        {"relevantTypes relative",
         ctx(R"({"contextAgents":[{"objectType":"contextAgent","agent":{"mbox":"mailto:c@e.com"},"relevantTypes":["x"]}]})"),
         ErrorCode::InvalidIri, "$.context.contextAgents[0].relevantTypes[0]", V2},
        {"contextGroup wrong objectType",
         ctx(R"({"contextGroups":[{"objectType":"Group","group":{"objectType":"Group","mbox":"mailto:g@e.com"}}]})"),
         ErrorCode::InvalidObjectType, "$.context.contextGroups[0].objectType", V2},
        {"language tag repeated singleton",
         withVerb(R"({"id":"http://example.com/v","display":{"zh-z-aaa-z-bbb-c-ccc":"x"}})"),
         ErrorCode::InvalidLanguageTag, "$.verb.display['zh-z-aaa-z-bbb-c-ccc']"},
        {"language tag repeated variant",
         withVerb(R"({"id":"http://example.com/v","display":{"de-1901-1901":"x"}})"),
         ErrorCode::InvalidLanguageTag, "$.verb.display['de-1901-1901']"},
        {"language tag subtag too long",
         withVerb(R"({"id":"http://example.com/v","display":{"en-something-AU":"x"}})"),
         ErrorCode::InvalidLanguageTag, "$.verb.display['en-something-AU']"},
        {"language tag nine letters", ctx(R"({"language":"something"})"),
         ErrorCode::InvalidLanguageTag, "$.context.language"},
    };
}

std::vector<std::pair<std::string, Version>> goodCases() {
    const std::string full = R"({
      "id":"6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
      "actor":{"name":"Team PB","mbox":"mailto:teampb@example.com","objectType":"Group",
        "member":[{"name":"A","account":{"homePage":"http://www.example.com","name":"13936749"},"objectType":"Agent"},
                  {"openid":"http://toby.openid.example.org/"},
                  {"mbox_sha1sum":"ebd31e95054c018b10727ccffd2ef2ec3a016ee9"}]},
      "verb":{"id":"http://adlnet.gov/expapi/verbs/attended","display":{"en-GB":"attended","en-US":"attended"}},
      "result":{"extensions":{"http://example.com/ext/minutes":"X:\\m"},"success":true,"completion":true,
                "response":"ok","duration":"PT1H0M0S","score":{"scaled":0.5,"raw":5,"min":0,"max":10}},
      "context":{"registration":"ec531277-b57b-4c15-8d91-d292c5b2b8f7",
        "contextActivities":{"parent":[{"id":"http://www.example.com/meetings/series/267","objectType":"Activity"}],
           "category":[{"id":"http://www.example.com/cat","definition":{"name":{"en":"team"},"type":"http://example.com/t"}}]},
        "instructor":{"account":{"homePage":"http://www.example.com","name":"1"}},
        "team":{"mbox":"mailto:teampb@example.com","objectType":"Group"},
        "platform":"Example","language":"tlh","revision":"r2",
        "statement":{"objectType":"StatementRef","id":"6690e6c9-3ef0-4ed3-8b37-7f3964730bee"}},
      "timestamp":"2013-05-18T05:32:34.804+00:00","stored":"2013-05-18T05:32:34.804Z",
      "authority":{"account":{"homePage":"http://cloud.example.com/","name":"anonymous"},"objectType":"Agent"},
      "version":"1.0.0",
      "object":{"id":"http://www.example.com/meetings/occurances/34534","objectType":"Activity",
        "definition":{"extensions":{"http://example.com/room":{"name":"Kilby"}},"name":{"en-GB":"meeting"},
          "description":{"en-US":"An example meeting"},"type":"http://adlnet.gov/expapi/activities/meeting",
          "moreInfo":"http://virtualmeeting.example.com/345256"}}})";
    const std::string sub =
        R"({"objectType":"SubStatement","actor":)" + kActor + R"(,"verb":)" + kVerb +
        R"(,"object":)" + kObject +
        R"(,"context":{"revision":"1","platform":"p"},"result":{"success":false},)"
        R"("timestamp":"2024-01-01T00:00:00Z"})";
    const std::string sha = R"("495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a")";
    return {
        {statement(), V1},
        {statement(), V2},
        {full, V1},
        {withActor(R"({"mbox_sha1sum":"EBD31E95054C018B10727CCFFD2EF2EC3A016EE9"})"), V1},
        {withActor(R"({"openid":"http://openid.example.org/ada"})"), V1},
        {withObject(R"({"objectType":"Agent","mbox":"mailto:b@example.com"})"), V1},
        {withObject(
             R"({"objectType":"Group","account":{"homePage":"http://e.com","name":"g"},"member":[{"mbox":"mailto:a@e.com"}]})"),
         V1},
        {withObject(kStmtRef), V1},
        {withObject(sub), V1},
        {statement(kActor,
                   R"({"id":"http://adlnet.gov/expapi/verbs/voided","display":{"en-US":"voided"}})",
                   kStmtRef),
         V1},
        {interaction(
             R"({"interactionType":"choice","correctResponsesPattern":["golf[,]tetris"],"choices":[{"id":"golf","description":{"en-US":"Golf"}},{"id":"tetris"}]})"),
         V1},
        {interaction(R"({"interactionType":"likert","scale":[{"id":"l0"},{"id":"l1"}]})"), V1},
        {interaction(
             R"({"interactionType":"matching","source":[{"id":"a"}],"target":[{"id":"1"}]})"),
         V2},
        {interaction(
             R"({"interactionType":"performance","steps":[{"id":"pong"}],"correctResponsesPattern":["pong[.]1:"]})"),
         V1},
        {interaction(R"({"interactionType":"true-false","correctResponsesPattern":["true"]})"), V1},
        {interaction(R"({"interactionType":"numeric","correctResponsesPattern":["4[:]"]})"), V2},
        {ctx(R"({"contextActivities":{"parent":{"id":"http://e.com/p"},"grouping":[],"other":{"id":"http://e.com/o"}}})"),
         V1},
        {res(R"({"extensions":{"http://e.com/x":null,"http://e.com/y":[1,null,{"a":null}]},"duration":"P3Y1M29DT4H35M59.14S"})"),
         V1},
        {with(R"("timestamp":"2024-02-29T23:59:59")"), V1},
        {with(R"("timestamp":"2008-09-15 15:53:00.601+00:00")"), V2},
        {with(
             R"("timestamp":"2024-02-29T23:59:59.123456+05:30","stored":"2024-03-01T00:00:00.1-0800")"),
         V2},
        {res(R"({"duration":"P4W"})"), V1},
        {res(R"({"duration":"PT0.5S","score":{"scaled":-1}})"), V1},
        {with(R"("version":"1.0.3")"), V1},
        {with(R"("version":"1.0")"), V1},
        {with(R"("version":"1.0.9")"), V2},
        {with(R"("version":"2.0.0")"), V2},
        {with(
             R"("authority":{"objectType":"Group","member":[{"account":{"homePage":"http://e.com","name":"app"}},{"mbox":"mailto:u@e.com"}]})"),
         V1},
        {att(R"({"usageType":"http://adlnet.gov/expapi/attachments/signature","display":{"en":"sig"},"description":{"de-CH-1901":"x"},"contentType":"application/octet-stream; charset=binary","length":12,"sha2":)" +
             sha + R"(,"fileUrl":"http://e.com/f"})"),
         V1},
        {ctx(R"({"contextAgents":[{"objectType":"contextAgent","agent":{"mbox":"mailto:c@e.com"},"relevantTypes":["http://e.com/t"]}],"contextGroups":[{"objectType":"contextGroup","group":{"objectType":"Group","member":[{"mbox":"mailto:a@e.com"}]}}]})"),
         V2},
        {withVerb(
             R"({"id":"http://e.com/v","display":{"zh-Hant-TW":"a","sgn-BE-FR":"b","x-private":"c","en-a-bbb-x-a-ccc":"d","i-klingon":"e","es-419":"f"}})"),
         V1},
        {withVerb(R"({"id":"http://example.com/xapi/\u0444\u0435/v?q=1#f"})"), V1},
    };
}

}  // namespace

class ValidatorTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ValidatorTest);
    CPPUNIT_TEST(testBadStatements);
    CPPUNIT_TEST(testGoodStatements);
    CPPUNIT_TEST(testBatchPaths);
    CPPUNIT_TEST(testRoundTrip);
    CPPUNIT_TEST(testVersionHeader);
    CPPUNIT_TEST(testActorParameter);
    CPPUNIT_TEST(testCodeNames);
    CPPUNIT_TEST(testLongComponentLists);
    CPPUNIT_TEST_SUITE_END();

  public:
    void testBadStatements() {
        const auto cases = badCases();
        CPPUNIT_ASSERT(cases.size() >= 60);
        for (const auto& c : cases) {
            auto err = validateStatement(std::string_view(c.json), c.version);
            CPPUNIT_ASSERT_MESSAGE(std::string("accepted: ") + c.name, err.has_value());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string(c.name) + ": " + err->describe(),
                                         std::string(codeName(c.code)), std::string(err->name()));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.name, std::string(c.path), err->path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.name, 400, err->httpStatus);
        }
    }

    void testGoodStatements() {
        const auto cases = goodCases();
        CPPUNIT_ASSERT(cases.size() >= 20);
        int i = 0;
        for (const auto& [json, version] : cases) {
            auto err = validateStatement(std::string_view(json), version);
            CPPUNIT_ASSERT_MESSAGE(
                "good case " + std::to_string(i) + " rejected: " + (err ? err->describe() : ""),
                !err);
            ++i;
        }
    }

    void testBatchPaths() {
        std::string body = "[";
        body.append(statement()).append(",").append(withActor(R"({"mbox":"x"})")).append("]");
        auto r = parseStatements(body, V1);
        auto* err = std::get_if<XapiError>(&r);
        CPPUNIT_ASSERT(err);
        CPPUNIT_ASSERT_EQUAL(std::string("$[1].actor.mbox"), err->path);
        std::string two = "[";
        two.append(statement()).append(",").append(statement()).append("]");
        auto ok = parseStatements(two, V2);
        auto* parsed = std::get_if<ParsedStatements>(&ok);
        CPPUNIT_ASSERT(parsed);
        CPPUNIT_ASSERT(parsed->batch);
        CPPUNIT_ASSERT_EQUAL(size_t(2), parsed->statements.size());
        const std::string withId = with(R"("id":"6690e6c9-3ef0-4ed3-8b37-7f3964730bee")");
        const std::string upperId = with(R"("id":"6690E6C9-3EF0-4ED3-8B37-7F3964730BEE")");
        std::string dup = "[";
        dup.append(withId).append(",").append(statement()).append(",").append(upperId).append("]");
        auto duplicate = parseStatements(dup, V1);
        auto* dupErr = std::get_if<XapiError>(&duplicate);
        CPPUNIT_ASSERT(dupErr);
        CPPUNIT_ASSERT_EQUAL(std::string("xapi.duplicate_statement_id"),
                             std::string(dupErr->name()));
        CPPUNIT_ASSERT_EQUAL(std::string("$[2].id"), dupErr->path);
        auto single = parseStatements(statement(), V2);
        CPPUNIT_ASSERT(!std::get<ParsedStatements>(single).batch);
        CPPUNIT_ASSERT(std::holds_alternative<XapiError>(parseStatements("[1]", V1)));
    }

    void testRoundTrip() {
        for (const auto& [json, version] : goodCases()) {
            auto first = std::get<Poco::Dynamic::Var>(parseJson(json));
            std::ostringstream once;
            Poco::JSON::Stringifier::condense(first, once);
            auto second = std::get<Poco::Dynamic::Var>(parseJson(once.str()));
            std::ostringstream twice;
            Poco::JSON::Stringifier::condense(second, twice);
            CPPUNIT_ASSERT_EQUAL(once.str(), twice.str());
            CPPUNIT_ASSERT(!validateStatement(second, version));
        }
    }

    void testVersionHeader() {
        for (const char* h : {"1.0", "1.0.0", "1.0.1", "1.0.2", "1.0.3"}) {
            auto v = versionFromHeader(std::string_view(h));
            CPPUNIT_ASSERT(std::get<Version>(v) == V1);
        }
        CPPUNIT_ASSERT(std::get<Version>(versionFromHeader(std::string_view("2.0.0"))) == V2);
        for (const char* h : {"0.95", "1.1.0", "2.1.0", "", "1.0.4", "3.0.0"}) {
            auto v = versionFromHeader(std::string_view(h));
            auto* err = std::get_if<XapiError>(&v);
            CPPUNIT_ASSERT_MESSAGE(h, err);
            CPPUNIT_ASSERT(err->code == ErrorCode::UnsupportedVersion);
            CPPUNIT_ASSERT_EQUAL(400, err->httpStatus);
        }
        auto missing = versionFromHeader(std::nullopt);
        CPPUNIT_ASSERT(std::get<XapiError>(missing).code == ErrorCode::MissingVersionHeader);
        CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"), std::string(versionHeaderValue(V2)));
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.3"), std::string(versionHeaderValue(V1)));
    }

    // Long component lists take another path for the distinct-id check.
    void testLongComponentLists() {
        auto build = [](int count, int duplicateOf) {
            std::string list;
            for (int i = 0; i < count; ++i) {
                if (i) list += ",";
                const int id = (i == count - 1 && duplicateOf >= 0) ? duplicateOf : (count - i) * 7;
                list += R"({"id":"c)" + std::to_string(id) + R"("})";
            }
            return interaction(R"({"interactionType":"choice","choices":[)" + list + "]}");
        };
        CPPUNIT_ASSERT(!validateStatement(std::string_view(build(100, -1)), V1));
        for (int dup : {700, 490, 420, 14}) {  // ids of elements 0, 30, 40 and 98
            auto err = validateStatement(std::string_view(build(100, dup)), V1);
            CPPUNIT_ASSERT_MESSAGE(std::to_string(dup),
                                   err && err->code == ErrorCode::InvalidInteraction);
            CPPUNIT_ASSERT_EQUAL(std::string("$.object.definition.choices[99].id"), err->path);
        }
        auto early = validateStatement(std::string_view(build(20, 7 * 5)), V1);
        CPPUNIT_ASSERT(early && early->path == "$.object.definition.choices[19].id");
    }

    void testCodeNames() {
        std::set<std::string> names;
        const int last = static_cast<int>(ErrorCode::UnsupportedContentType);
        for (int i = 0; i <= last; ++i) {
            const auto code = static_cast<ErrorCode>(i);
            const std::string name(codeName(code));
            CPPUNIT_ASSERT(name.rfind("xapi.", 0) == 0 && name != "xapi.unknown");
            CPPUNIT_ASSERT_MESSAGE(name, names.insert(name).second);
            CPPUNIT_ASSERT_EQUAL(code == ErrorCode::PayloadTooLarge ? 413 : 400,
                                 httpStatusFor(code));
        }
        auto e = makeError(ErrorCode::InvalidIri, "bad", "$.verb.id");
        CPPUNIT_ASSERT_EQUAL(std::string("xapi.invalid_iri at $.verb.id: bad"), e.describe());
    }

    void testActorParameter() {
        auto group = std::get<Poco::Dynamic::Var>(
            parseJson(R"({"objectType":"Group","mbox":"mailto:g@example.com"})"));
        CPPUNIT_ASSERT(!validateActor(group, V1));
        CPPUNIT_ASSERT(validateAgent(group, V1)->code == ErrorCode::InvalidObjectType);
        auto bad = std::get<Poco::Dynamic::Var>(parseJson(R"({"mbox":"nope"})"));
        CPPUNIT_ASSERT(validateActor(bad, V2)->code == ErrorCode::InvalidMbox);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ValidatorTest);
