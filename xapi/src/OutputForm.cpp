#include "assay/xapi/OutputForm.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "JsonAccess.h"

namespace assay::xapi {

using detail::Kind;
using detail::kindOf;
using detail::member;
using detail::memberObject;
using detail::memberString;
using Obj = Poco::JSON::Object;
using Arr = Poco::JSON::Array;

std::optional<StatementFormat> parseStatementFormat(std::string_view s) {
    if (s == "exact") return StatementFormat::Exact;
    if (s == "ids") return StatementFormat::Ids;
    if (s == "canonical") return StatementFormat::Canonical;
    return std::nullopt;
}

std::string_view formatName(StatementFormat f) {
    switch (f) {
        case StatementFormat::Exact:
            return "exact";
        case StatementFormat::Ids:
            return "ids";
        case StatementFormat::Canonical:
            return "canonical";
    }
    return "exact";
}

namespace {

std::string lowerCopy(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

}  // namespace

LanguagePreference LanguagePreference::parse(std::string_view header) {
    LanguagePreference out;
    while (!header.empty()) {
        const size_t comma = header.find(',');
        std::string_view item = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        if (item.empty()) continue;
        double q = 1.0;
        const size_t semi = item.find(';');
        if (semi != std::string_view::npos) {
            std::string_view param = trim(item.substr(semi + 1));
            item = trim(item.substr(0, semi));
            if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
                q = std::strtod(std::string(param.substr(2)).c_str(), nullptr);
            }
        }
        if (q <= 0 || item.empty()) continue;
        out.ranges_.emplace_back(lowerCopy(item), q);
    }
    std::stable_sort(out.ranges_.begin(), out.ranges_.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    return out;
}

std::string LanguagePreference::bestKey(const Obj& map) const {
    if (map.size() == 0) return {};
    for (const auto& [range, q] : ranges_) {
        if (range == "*") return map.begin()->first;
        const std::string* prefix = nullptr;
        const std::string* broader = nullptr;
        for (auto it = map.begin(); it != map.end(); ++it) {
            const std::string key = lowerCopy(it->first);
            if (key == range) return it->first;
            if (!prefix && key.size() > range.size() && key.compare(0, range.size(), range) == 0 &&
                key[range.size()] == '-') {
                prefix = &it->first;
            }
            if (!broader && range.size() > key.size() && range.compare(0, key.size(), key) == 0 &&
                range[key.size()] == '-') {
                broader = &it->first;
            }
        }
        if (prefix) return *prefix;
        if (broader) return *broader;
    }
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (lowerCopy(it->first) == "und") return it->first;
    }
    return map.begin()->first;
}

namespace {

Obj::Ptr copyOf(const Obj& o) {
    return new Obj(o);
}

class Renderer {
  public:
    Renderer(StatementFormat f, const LanguagePreference& l, const CanonicalDefinitions& d)
        : format_(f), languages_(l), definitions_(d) {}

    Obj::Ptr statement(const Obj& s) {
        Obj::Ptr out = copyOf(s);
        if (auto a = memberObject(s, "actor")) out->set("actor", actor(*a));
        if (auto v = memberObject(s, "verb")) out->set("verb", verb(*v));
        if (auto o = memberObject(s, "object")) out->set("object", object(*o));
        if (auto c = memberObject(s, "context")) out->set("context", context(*c));
        if (auto a = memberObject(s, "authority")) out->set("authority", actor(*a));
        if (format_ == StatementFormat::Canonical) {
            if (const auto* att = member(s, "attachments"); att && kindOf(*att) == Kind::Array) {
                Arr::Ptr list = new Arr;
                for (const auto& item : detail::asArray(*att)) {
                    if (kindOf(item) != Kind::Object) {
                        list->add(item);
                        continue;
                    }
                    Obj::Ptr copy = copyOf(detail::asObject(item));
                    reduceMap(*copy, "display");
                    reduceMap(*copy, "description");
                    list->add(copy);
                }
                out->set("attachments", list);
            }
        }
        return out;
    }

  private:
    // Keeps only the best language of the map stored under `key` (canonical form).
    void reduceMap(Obj& holder, const std::string& key) {
        auto map = memberObject(holder, key);
        if (!map || map->size() <= 1) return;
        const std::string best = languages_.bestKey(*map);
        Obj::Ptr reduced = new Obj;
        reduced->set(best, map->get(best));
        holder.set(key, reduced);
    }

    Obj::Ptr actor(const Obj& a) {
        if (format_ != StatementFormat::Ids) return copyOf(a);
        Obj::Ptr out = new Obj;
        for (const char* key : {"objectType", "mbox", "mbox_sha1sum", "openid", "account"}) {
            if (const auto* v = member(a, key)) out->set(key, *v);
        }
        const bool anonymous = !member(a, "mbox") && !member(a, "mbox_sha1sum") &&
                               !member(a, "openid") && !member(a, "account");
        if (anonymous) {
            if (const auto* m = member(a, "member"); m && kindOf(*m) == Kind::Array) {
                Arr::Ptr members = new Arr;
                for (const auto& item : detail::asArray(*m)) {
                    if (kindOf(item) == Kind::Object) members->add(actor(detail::asObject(item)));
                }
                out->set("member", members);
            }
        }
        return out;
    }

    Obj::Ptr verb(const Obj& v) {
        if (format_ == StatementFormat::Ids) {
            Obj::Ptr out = new Obj;
            if (const auto* id = member(v, "id")) out->set("id", *id);
            return out;
        }
        Obj::Ptr out = copyOf(v);
        reduceMap(*out, "display");
        return out;
    }

    Obj::Ptr activity(const Obj& a) {
        if (format_ == StatementFormat::Ids) {
            Obj::Ptr out = new Obj;
            if (const auto* t = member(a, "objectType")) out->set("objectType", *t);
            if (const auto* id = member(a, "id")) out->set("id", *id);
            return out;
        }
        Obj::Ptr out = copyOf(a);
        Obj::Ptr def = memberObject(a, "definition");
        if (definitions_) {
            if (const auto* id = memberString(a, "id")) {
                if (auto canonical = definitions_(*id)) def = canonical;
            }
        }
        if (!def) return out;
        Obj::Ptr d = copyOf(*def);
        reduceMap(*d, "name");
        reduceMap(*d, "description");
        for (const char* list : {"choices", "scale", "source", "target", "steps"}) {
            const auto* v = member(*d, list);
            if (!v || kindOf(*v) != Kind::Array) continue;
            Arr::Ptr components = new Arr;
            for (const auto& item : detail::asArray(*v)) {
                if (kindOf(item) != Kind::Object) {
                    components->add(item);
                    continue;
                }
                Obj::Ptr c = copyOf(detail::asObject(item));
                reduceMap(*c, "description");
                components->add(c);
            }
            d->set(list, components);
        }
        out->set("definition", d);
        return out;
    }

    Obj::Ptr object(const Obj& o) {
        const std::string* type = memberString(o, "objectType");
        if (!type || *type == "Activity") return activity(o);
        if (*type == "Agent" || *type == "Group") return actor(o);
        if (*type == "SubStatement") return statement(o);
        return copyOf(o);
    }

    Obj::Ptr context(const Obj& c) {
        Obj::Ptr out = copyOf(c);
        if (auto i = memberObject(c, "instructor")) out->set("instructor", actor(*i));
        if (auto t = memberObject(c, "team")) out->set("team", actor(*t));
        if (auto lists = memberObject(c, "contextActivities")) {
            Obj::Ptr l = copyOf(*lists);
            for (auto it = lists->begin(); it != lists->end(); ++it) {
                if (kindOf(it->second) == Kind::Object) {
                    l->set(it->first, activity(detail::asObject(it->second)));
                } else if (kindOf(it->second) == Kind::Array) {
                    Arr::Ptr items = new Arr;
                    for (const auto& item : detail::asArray(it->second)) {
                        if (kindOf(item) == Kind::Object)
                            items->add(activity(detail::asObject(item)));
                    }
                    l->set(it->first, items);
                }
            }
            out->set("contextActivities", l);
        }
        for (const char* key : {"contextAgents", "contextGroups"}) {
            const auto* v = member(c, key);
            if (!v || kindOf(*v) != Kind::Array) continue;
            const char* inner = key[7] == 'A' ? "agent" : "group";
            Arr::Ptr items = new Arr;
            for (const auto& item : detail::asArray(*v)) {
                if (kindOf(item) != Kind::Object) continue;
                Obj::Ptr entry = copyOf(detail::asObject(item));
                if (auto who = memberObject(*entry, inner)) entry->set(inner, actor(*who));
                items->add(entry);
            }
            out->set(key, items);
        }
        return out;
    }

    StatementFormat format_;
    const LanguagePreference& languages_;
    const CanonicalDefinitions& definitions_;
};

}  // namespace

Obj::Ptr renderStatement(const Obj::Ptr& statement, StatementFormat format,
                         const LanguagePreference& languages,
                         const CanonicalDefinitions& definitions) {
    if (format == StatementFormat::Exact || !statement) return statement;
    return Renderer(format, languages, definitions).statement(*statement);
}

namespace {

// Copy of `s` without the 2.0 context properties, or null when it has none.
Obj::Ptr without20Properties(const Obj& s) {
    Obj::Ptr out;
    if (auto context = memberObject(s, "context")) {
        if (member(*context, "contextAgents") || member(*context, "contextGroups")) {
            Obj::Ptr c = copyOf(*context);
            c->remove("contextAgents");
            c->remove("contextGroups");
            out = copyOf(s);
            out->set("context", c);
        }
    }
    if (auto object = memberObject(s, "object")) {
        const auto* type = memberString(*object, "objectType");
        if (type && *type == "SubStatement") {
            if (auto sub = without20Properties(*object)) {
                if (!out) out = copyOf(s);
                out->set("object", sub);
            }
        }
    }
    return out;
}

}  // namespace

Obj::Ptr renderForVersion(const Obj::Ptr& statement, Version version) {
    if (!statement || version == Version::V2_0_0) return statement;
    auto stripped = without20Properties(*statement);
    return stripped ? stripped : statement;
}

}  // namespace assay::xapi
