#include "api_envelope.hpp"

#include <cfmigrate/util/text.hpp>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>

namespace cfmigrate::emulator {

namespace json = boost::json;

namespace {

bool parse_int(const std::string& text, long long& out)
{
  if (text.empty() || text.size() > 9 || !std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    return false;
  }
  out = std::stoll(text);
  return true;
}

bool starts_with(std::string_view s, std::string_view prefix)
{
  return s.substr(0, prefix.size()) == prefix;
}

enum class Case { sensitive, insensitive };

struct NameOperator {
  std::string_view prefix;
  Case letter_case;
};

constexpr NameOperator k_name_operators[] = {
  {"starts_with_case_sensitive:", Case::sensitive}, {"ends_with_case_sensitive:", Case::sensitive},
  {"contains_case_sensitive:", Case::sensitive},    {"starts_with:", Case::insensitive},
  {"ends_with:", Case::insensitive},                {"contains:", Case::insensitive},
  {"not_equal:", Case::insensitive}};

} // namespace

Query parse_query(std::string_view query)
{
  Query out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    const std::size_t eq = part.find('=');
    out[url_decode(part.substr(0, eq))] = eq == std::string_view::npos ? "" : url_decode(part.substr(eq + 1));
    if (amp == std::string_view::npos) {
      break;
    }
    query.remove_prefix(amp + 1);
  }
  return out;
}

Response json_response(unsigned status, const json::value& body)
{
  Response r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = json::serialize(body);
  return r;
}

Response ok(json::value result, std::optional<json::object> result_info, json::array messages)
{
  json::object o{{"success", true}, {"errors", json::array{}}, {"messages", std::move(messages)}, {"result", std::move(result)}};
  if (result_info) {
    o["result_info"] = std::move(*result_info);
  }
  return json_response(200, o);
}

Response fail(unsigned status, int code, std::string message)
{
  json::object err{{"code", code}, {"message", std::move(message)}};
  return json_response(status, json::object{{"success", false},
                                            {"errors", json::array{std::move(err)}},
                                            {"messages", json::array{}},
                                            {"result", nullptr}});
}

Response forbidden()
{
  return fail(403, api_error::auth_error, "Authentication error");
}

Response no_route()
{
  return fail(404, api_error::no_route, "No route for the URI");
}

Response paginated(const Query& query, const json::array& items)
{
  long long page = 1, per_page = 20;
  if (auto it = query.find("page"); it != query.end() && (!parse_int(it->second, page) || page < 1)) {
    return fail(400, api_error::bad_pagination, "page must be an integer >= 1");
  }
  if (auto it = query.find("per_page"); it != query.end() && (!parse_int(it->second, per_page) || per_page < 5 || per_page > 50)) {
    return fail(400, api_error::bad_pagination, "per_page must be an integer between 5 and 50");
  }
  json::array slice;
  const auto total = static_cast<long long>(items.size());
  for (long long i = (page - 1) * per_page; i < std::min(total, page * per_page); ++i) {
    slice.push_back(items[static_cast<std::size_t>(i)]);
  }
  const long long count = static_cast<long long>(slice.size());
  const long long total_pages = total == 0 ? 1 : (total + per_page - 1) / per_page;
  return ok(std::move(slice), json::object{{"page", page}, {"per_page", per_page}, {"count", count},
                                           {"total_count", total}, {"total_pages", total_pages}});
}

bool name_matches(std::string_view filter, const std::string& name)
{
  const std::string lowered_name = to_lower(name);
  for (const NameOperator& op : k_name_operators) {
    if (!starts_with(filter, op.prefix)) {
      continue;
    }
    const bool sensitive = op.letter_case == Case::sensitive;
    const std::string arg = sensitive ? std::string(filter.substr(op.prefix.size())) : to_lower(filter.substr(op.prefix.size()));
    const std::string subject = sensitive ? name : lowered_name;
    const std::string_view kind = op.prefix.substr(0, op.prefix.find('_'));
    if (op.prefix == "not_equal:") {
      return subject != arg;
    }
    if (kind == "starts") {
      return starts_with(subject, arg);
    }
    if (kind == "ends") {
      return subject.size() >= arg.size() && subject.compare(subject.size() - arg.size(), arg.size(), arg) == 0;
    }
    return subject.find(arg) != std::string::npos;
  }
  return lowered_name == to_lower(filter);
}

} // namespace cfmigrate::emulator
