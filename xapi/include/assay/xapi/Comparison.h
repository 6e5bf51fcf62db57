// Statement comparison per "Statement Comparison Requirements": differences that the
// immutability exceptions allow are ignored, all other differences count.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

namespace assay::xapi {

// True when `a` and `b` are the same statement for an LRS: used for the 409 Conflict check of
// an id already stored and for comparing a JWS payload with the received statement.
// Ignored: stored, authority, version, an id that only one side has, a timestamp only one
// side has (an equal instant in another zone also counts as equal), Verb display, Activity
// definitions, the order of Group members, a single contextActivities object vs a
// one-element array. Numbers compare by value.
bool statementsEquivalent(const Poco::JSON::Object& a, const Poco::JSON::Object& b);

// Deep JSON equality (objects unordered, arrays ordered, numbers by value).
bool jsonEqual(const Poco::Dynamic::Var& a, const Poco::Dynamic::Var& b);

}  // namespace assay::xapi
