// Well-formed statements of both versions, including the spec's own examples.
#include "ValidationCases.h"

namespace xapitest {

std::vector<GoodCase> goodCases() {
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
        {with(R"("timestamp":"2024-02-29T23:59:59")"), V1, false},
        {with(R"("timestamp":"2008-09-15 15:53:00.601+00:00")"), V2},
        {with(
             R"("timestamp":"2024-02-29T23:59:59.123456+05:30","stored":"2024-03-01T00:00:00.1-0800")"),
         V2},
        {res(R"({"duration":"P4W"})"), V1},
        {res(R"({"duration":"PT0.5S","score":{"scaled":-1}})"), V1},
        {with(R"("version":"1.0.3")"), V1},
        {with(R"("version":"1.0")"), V1},
        {with(R"("version":"1.0.9")"), V2},
        {with(R"("version":"2.0.0")"), V2, false},
        {with(
             R"("authority":{"objectType":"Group","member":[{"account":{"homePage":"http://e.com","name":"app"}},{"mbox":"mailto:u@e.com"}]})"),
         V1},
        {att(R"({"usageType":"http://adlnet.gov/expapi/attachments/signature","display":{"en":"sig"},"description":{"de-CH-1901":"x"},"contentType":"application/octet-stream; charset=binary","length":12,"sha2":)" +
             sha + R"(,"fileUrl":"http://e.com/f"})"),
         V1},
        {ctx(R"({"contextAgents":[{"objectType":"contextAgent","agent":{"mbox":"mailto:c@e.com"},"relevantTypes":["http://e.com/t"]}],"contextGroups":[{"objectType":"contextGroup","group":{"objectType":"Group","member":[{"mbox":"mailto:a@e.com"}]}}]})"),
         V2, false},
        {withVerb(
             R"({"id":"http://e.com/v","display":{"zh-Hant-TW":"a","sgn-BE-FR":"b","x-private":"c","en-a-bbb-x-a-ccc":"d","i-klingon":"e","es-419":"f"}})"),
         V1},
        {withVerb(R"({"id":"http://example.com/xapi/\u0444\u0435/v?q=1#f"})"), V1},
    };
}

}  // namespace xapitest
