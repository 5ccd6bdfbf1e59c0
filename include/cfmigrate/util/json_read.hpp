#pragma once
// Reading untrusted JSON (plans, journals, scan reports, recipes, API answers) into typed values
// through Boost.JSON's conversions, never throwing, with errors that name the field:
//   "plan: files[3].size: expected an integer from 0 to 18446744073709551615, got -1".
//
// Leaf types (strings, integers, bool, double) go through boost::json::try_value_to<T>, which
// checks range and exactness. A record type T is read by a conversion found by ADL:
//   Result<T> tag_invoke(boost::json::try_value_to_tag<T>, const boost::json::value&, const JsonPath&)
// That is the shape of Boost >= 1.82's contextual conversions with the field path as context;
// Boost 1.81 (ours) has none, so read_json_as dispatches it (docs/decisions.md). Typical use:
//
//   Result<Foo> tag_invoke(json::try_value_to_tag<Foo>, const json::value& v, const JsonPath& at) {
//     CFM_TRY(const JsonFields f, JsonFields::of(v, at));
//     Foo out;
//     CFM_TRY(out.name, f.required<std::string>("name"));
//     CFM_TRY(out.items, f.required<std::vector<Item>>("items"));   // errors say "items[2].x"
//     CFM_TRY(out.note, f.optional<std::string>("note"));            // absent or null: ""
//     return out;
//   }
//   CFM_TRY(Foo foo, read_json_as<Foo>(document, JsonPath("foo file")));

#include <cfmigrate/util/result.hpp>

#include <boost/json/value.hpp>
#include <boost/json/value_to.hpp>

#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace cfmigrate {

// Where a value sits in its document: a document name for messages ("plan", "API zone") and the
// field path inside it ("files[3].size"; empty at the root).
class JsonPath {
public:
  JsonPath() = default;
  explicit JsonPath(std::string document) : m_document(std::move(document)) {}

  JsonPath key(std::string_view name) const;
  JsonPath index(std::size_t i) const;

  const std::string& document() const { return m_document; }
  const std::string& field() const { return m_field; }  // "files[3].size"
  // ErrorCode::parse, "<document>: <field>: <message>" (absent parts left out).
  Error error(std::string_view message) const;

private:
  std::string m_document;
  std::string m_field;
};

// What a value is, for messages: "null", "a string", "an array"...; a number is shown as itself
// ("-1", "1e+30"), because that is what tells the reader what is wrong. Strings are never quoted
// (they may be secrets).
std::string json_kind(const boost::json::value& v);

namespace json_read_detail {

template<typename T>
struct is_vector : std::false_type {};
template<typename T>
struct is_vector<std::vector<T>> : std::true_type {};

template<typename T>
struct is_optional : std::false_type {};
template<typename T>
struct is_optional<std::optional<T>> : std::true_type {};

template<typename T>
concept has_path_conversion = requires(const boost::json::value& v, const JsonPath& at) {
  { tag_invoke(boost::json::try_value_to_tag<T>{}, v, at) } -> std::same_as<Result<T>>;
};

// The message for a leaf value try_value_to refused.
std::string integer_expectation(long double min, long double max);
template<typename T>
std::string expectation()
{
  if constexpr (std::is_same_v<T, bool>) {
    return "expected true or false";
  } else if constexpr (std::is_integral_v<T>) {
    return integer_expectation(static_cast<long double>(std::numeric_limits<T>::min()),
                               static_cast<long double>(std::numeric_limits<T>::max()));
  } else if constexpr (std::is_floating_point_v<T>) {
    return "expected a number";
  } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, boost::json::string>) {
    return "expected a string";
  } else {
    return "has the wrong type";
  }
}

} // namespace json_read_detail

// `v` as a T: a std::vector element by element (paths "[i]"), a std::optional as nullopt for null,
// a type with a path conversion (above) through it, anything else through try_value_to<T>.
template<typename T>
[[nodiscard]] Result<T> read_json_as(const boost::json::value& v, const JsonPath& at)
{
  namespace detail = json_read_detail;
  if constexpr (detail::is_optional<T>::value) {
    if (v.is_null()) {
      return T{};
    }
    CFM_TRY(auto inner, read_json_as<typename T::value_type>(v, at));
    return T{std::move(inner)};
  } else if constexpr (detail::is_vector<T>::value) {
    const boost::json::array* items = v.if_array();
    if (items == nullptr) {
      return at.error("expected an array, got " + json_kind(v));
    }
    T out;
    out.reserve(items->size());
    for (std::size_t i = 0; i < items->size(); ++i) {
      CFM_TRY(auto item, read_json_as<typename T::value_type>((*items)[i], at.index(i)));
      out.push_back(std::move(item));
    }
    return out;
  } else if constexpr (detail::has_path_conversion<T>) {
    return tag_invoke(boost::json::try_value_to_tag<T>{}, v, at);
  } else {
    auto converted = boost::json::try_value_to<T>(v);
    if (!converted) {
      return at.error(detail::expectation<T>() + ", got " + json_kind(v));
    }
    return std::move(*converted);
  }
}

// The fields of one JSON object, each read with read_json_as and its path.
class JsonFields {
public:
  // ErrorCode::parse "<at>: expected an object, got <kind>" unless `v` is an object.
  // JsonFields refers to `v`: it must outlive them, so a temporary is refused at compile time.
  [[nodiscard]] static Result<JsonFields> of(const boost::json::value& v, const JsonPath& at);
  static Result<JsonFields> of(const boost::json::value&& v, const JsonPath& at) = delete;
  // The fields of an object already known to be one (e.g. a journal record).
  static JsonFields of_object(const boost::json::object& o, JsonPath at) { return JsonFields(o, std::move(at)); }
  static JsonFields of_object(const boost::json::object&& o, JsonPath at) = delete;

  // "<at>.<key>: missing" when absent; null is read as a value (a std::optional takes it).
  template<typename T>
  [[nodiscard]] Result<T> required(std::string_view key) const
  {
    const boost::json::value* v = find(key);
    if (v == nullptr) {
      return m_at.key(key).error("missing");
    }
    return read_json_as<T>(*v, m_at.key(key));
  }

  // Absent or null: `fallback`.
  template<typename T>
  [[nodiscard]] Result<T> optional(std::string_view key, T fallback = T{}) const
  {
    const boost::json::value* v = find(key);
    if (v == nullptr || v->is_null()) {
      return fallback;
    }
    return read_json_as<T>(*v, m_at.key(key));
  }

  // The first key not in `allowed`, if any (for formats that reject unknown fields).
  std::optional<std::string> unknown_key(std::initializer_list<std::string_view> allowed) const;

  const boost::json::value* find(std::string_view key) const { return m_object->if_contains(key); }
  const boost::json::object& object() const { return *m_object; }
  const JsonPath& at() const { return m_at; }

private:
  JsonFields(const boost::json::object& object, JsonPath at) : m_object(&object), m_at(std::move(at)) {}

  const boost::json::object* m_object;
  JsonPath m_at;
};

} // namespace cfmigrate
