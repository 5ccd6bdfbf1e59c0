#include <cfmigrate/util/json_read.hpp>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdio>

namespace cfmigrate {

JsonPath JsonPath::key(std::string_view name) const
{
  JsonPath out = *this;
  if (!out.m_field.empty()) {
    out.m_field += '.';
  }
  out.m_field += name;
  return out;
}

JsonPath JsonPath::index(std::size_t i) const
{
  JsonPath out = *this;
  out.m_field += '[' + std::to_string(i) + ']';
  return out;
}

Error JsonPath::error(std::string_view message) const
{
  std::string text;
  for (const std::string* part : {&m_document, &m_field}) {
    if (!part->empty()) {
      text += *part + ": ";
    }
  }
  return Error(ErrorCode::parse, text + std::string(message));
}

std::string json_kind(const boost::json::value& v)
{
  switch (v.kind()) {
  case boost::json::kind::null: return "null";
  case boost::json::kind::bool_: return "a boolean";
  case boost::json::kind::int64:
  case boost::json::kind::uint64:
  case boost::json::kind::double_: return boost::json::serialize(v);
  case boost::json::kind::string: return "a string";
  case boost::json::kind::array: return "an array";
  case boost::json::kind::object: return "an object";
  }
  return "a value";
}

std::string json_read_detail::integer_expectation(long double min, long double max)
{
  char text[96];
  std::snprintf(text, sizeof text, "expected an integer from %.0Lf to %.0Lf", min, max);
  return text;
}

Result<JsonFields> JsonFields::of(const boost::json::value& v, const JsonPath& at)
{
  const boost::json::object* object = v.if_object();
  if (object == nullptr) {
    return at.error("expected an object, got " + json_kind(v));
  }
  return JsonFields(*object, at);
}

std::optional<std::string> JsonFields::unknown_key(std::initializer_list<std::string_view> allowed) const
{
  for (const auto& entry : *m_object) {
    const std::string_view key(entry.key().data(), entry.key().size());
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return std::string(key);
    }
  }
  return std::nullopt;
}

} // namespace cfmigrate
