#include "assay/xapi/Comparison.h"

#include <set>
#include <string>
#include <vector>

#include "JsonAccess.h"
#include "assay/xapi/Syntax.h"

namespace assay::xapi {

using detail::Kind;
using detail::kindOf;
using detail::member;
using Obj = Poco::JSON::Object;
using Var = Poco::Dynamic::Var;

namespace {

bool equalValue(const Var& a, const Var& b, bool membersUnordered);

bool equalObjects(const Obj& a, const Obj& b, bool membersUnordered) {
    if (a.size() != b.size()) return false;
    auto ia = a.begin();
    auto ib = b.begin();
    for (; ia != a.end(); ++ia, ++ib) {
        if (ia->first != ib->first) return false;
        const bool unorderedHere = membersUnordered && ia->first == "member";
        if (unorderedHere && kindOf(ia->second) == Kind::Array &&
            kindOf(ib->second) == Kind::Array) {
            const auto& la = detail::asArray(ia->second);
            const auto& lb = detail::asArray(ib->second);
            if (la.size() != lb.size()) return false;
            std::vector<bool> used(lb.size(), false);
            for (const auto& x : la) {
                bool found = false;
                for (size_t j = 0; j < lb.size() && !found; ++j) {
                    if (!used[j] && equalValue(x, lb.get(static_cast<unsigned>(j)), true)) {
                        used[j] = found = true;
                    }
                }
                if (!found) return false;
            }
            continue;
        }
        if (!equalValue(ia->second, ib->second, membersUnordered)) return false;
    }
    return true;
}

bool equalValue(const Var& a, const Var& b, bool membersUnordered) {
    const Kind ka = kindOf(a);
    if (ka != kindOf(b)) return false;
    switch (ka) {
        case Kind::Null:
            return true;
        case Kind::Bool:
            return a.extract<bool>() == b.extract<bool>();
        case Kind::Number:
            return a.convert<double>() == b.convert<double>();
        case Kind::String:
            return detail::asString(a) == detail::asString(b);
        case Kind::Object:
            return equalObjects(detail::asObject(a), detail::asObject(b), membersUnordered);
        case Kind::Array: {
            const auto& la = detail::asArray(a);
            const auto& lb = detail::asArray(b);
            if (la.size() != lb.size()) return false;
            auto ib = lb.begin();
            for (auto ia = la.begin(); ia != la.end(); ++ia, ++ib) {
                if (!equalValue(*ia, *ib, membersUnordered)) return false;
            }
            return true;
        }
        case Kind::Other:
            return a.toString() == b.toString();
    }
    return false;
}

const std::string* objectType(const Obj& o) {
    return detail::memberString(o, "objectType");
}

bool isActivity(const Obj& o) {
    const auto* t = objectType(o);
    return !t || *t == "Activity";
}

// Activity ids of a contextActivities list (object or array).
bool activityIds(const Var& v, std::vector<std::string>& out) {
    auto add = [&](const Var& item) {
        if (kindOf(item) != Kind::Object) return false;
        const auto* id = detail::memberString(detail::asObject(item), "id");
        if (!id) return false;
        out.push_back(*id);
        return true;
    };
    if (kindOf(v) == Kind::Object) return add(v);
    if (kindOf(v) != Kind::Array) return false;
    for (const auto& item : detail::asArray(v)) {
        if (!add(item)) return false;
    }
    return true;
}

bool equalStatements(const Obj& a, const Obj& b, bool top);

bool equalObjectOfStatement(const Obj& a, const Obj& b) {
    if (isActivity(a) && isActivity(b)) {
        const auto* ia = detail::memberString(a, "id");
        const auto* ib = detail::memberString(b, "id");
        return ia && ib && *ia == *ib;
    }
    const auto* ta = objectType(a);
    const auto* tb = objectType(b);
    if (!ta || !tb || *ta != *tb) return false;
    if (*ta == "SubStatement") return equalStatements(a, b, false);
    return equalObjects(a, b, true);
}

bool equalContext(const Obj& a, const Obj& b) {
    std::set<std::string> keys;
    for (auto it = a.begin(); it != a.end(); ++it)
        keys.insert(it->first);
    for (auto it = b.begin(); it != b.end(); ++it)
        keys.insert(it->first);
    for (const auto& k : keys) {
        const Var* va = member(a, k);
        const Var* vb = member(b, k);
        if (!va || !vb) return false;
        if (k == "contextActivities" && kindOf(*va) == Kind::Object &&
            kindOf(*vb) == Kind::Object) {
            const Obj& la = detail::asObject(*va);
            const Obj& lb = detail::asObject(*vb);
            for (const char* list : {"parent", "grouping", "category", "other"}) {
                std::vector<std::string> ida, idb;
                const Var* xa = member(la, list);
                const Var* xb = member(lb, list);
                if (xa && !activityIds(*xa, ida)) return false;
                if (xb && !activityIds(*xb, idb)) return false;
                if (ida != idb) return false;
            }
            if (la.size() != lb.size()) {
                // Unknown keys would have been rejected by validation; be strict anyway.
                for (auto it = la.begin(); it != la.end(); ++it) {
                    if (!member(lb, it->first)) return false;
                }
            }
            continue;
        }
        if (!equalValue(*va, *vb, true)) return false;
    }
    return true;
}

bool equalStatements(const Obj& a, const Obj& b, bool top) {
    std::set<std::string> keys;
    for (auto it = a.begin(); it != a.end(); ++it)
        keys.insert(it->first);
    for (auto it = b.begin(); it != b.end(); ++it)
        keys.insert(it->first);
    for (const auto& k : keys) {
        if (top && (k == "stored" || k == "authority" || k == "version")) continue;
        const Var* va = member(a, k);
        const Var* vb = member(b, k);
        if (top && (k == "id" || k == "timestamp") && (!va || !vb)) continue;
        if (!va || !vb) return false;
        if (k == "timestamp" && kindOf(*va) == Kind::String && kindOf(*vb) == Kind::String) {
            const auto ta = parseTimestamp(detail::asString(*va), false);
            const auto tb = parseTimestamp(detail::asString(*vb), false);
            if (!ta || !tb || *ta != *tb) return false;
            continue;
        }
        if (kindOf(*va) != Kind::Object || kindOf(*vb) != Kind::Object) {
            if (!equalValue(*va, *vb, true)) return false;
            continue;
        }
        const Obj& oa = detail::asObject(*va);
        const Obj& ob = detail::asObject(*vb);
        if (k == "verb") {
            const auto* ia = detail::memberString(oa, "id");
            const auto* ib = detail::memberString(ob, "id");
            if (!ia || !ib || *ia != *ib) return false;
        } else if (k == "object") {
            if (!equalObjectOfStatement(oa, ob)) return false;
        } else if (k == "context") {
            if (!equalContext(oa, ob)) return false;
        } else if (!equalObjects(oa, ob, true)) {
            return false;
        }
    }
    return true;
}

}  // namespace

bool statementsEquivalent(const Obj& a, const Obj& b) {
    return equalStatements(a, b, true);
}

bool jsonEqual(const Var& a, const Var& b) {
    return equalValue(a, b, false);
}

}  // namespace assay::xapi
