#include <cfmigrate/util/json_writer.hpp>

#include <boost/json.hpp>

#include <ostream>
#include <string>

namespace cfmigrate {

namespace json = boost::json;

void write_json(std::ostream& out, const json::value& value)
{
  // Boost.JSON's serializer is compact; indent by walking the value.
  struct Printer {
    std::ostream& os;
    void print(const json::value& v, int depth)
    {
      std::string pad(static_cast<std::size_t>(depth) * 2, ' ');
      std::string inner(static_cast<std::size_t>(depth + 1) * 2, ' ');
      if (v.is_object()) {
        const auto& o = v.as_object();
        if (o.empty()) {
          os << "{}";
          return;
        }
        os << "{\n";
        bool first = true;
        for (const auto& kv : o) {
          os << (first ? "" : ",\n") << inner << json::serialize(json::string(kv.key())) << ": ";
          print(kv.value(), depth + 1);
          first = false;
        }
        os << "\n" << pad << "}";
      } else if (v.is_array()) {
        const auto& a = v.as_array();
        if (a.empty()) {
          os << "[]";
          return;
        }
        os << "[\n";
        bool first = true;
        for (const auto& item : a) {
          os << (first ? "" : ",\n") << inner;
          print(item, depth + 1);
          first = false;
        }
        os << "\n" << pad << "]";
      } else {
        os << json::serialize(v);
      }
    }
  };
  Printer{out}.print(value, 0);
  out << "\n";
}

} // namespace cfmigrate
