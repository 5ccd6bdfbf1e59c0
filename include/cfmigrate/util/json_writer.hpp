#pragma once
// Pretty-printed JSON for the documents cfmigrate writes (reports, plans, status): two-space
// indentation, keys in insertion order, a final newline. Boost.JSON's serializer is compact only.

#include <boost/json/value.hpp>

#include <iosfwd>

namespace cfmigrate {

void write_json(std::ostream& out, const boost::json::value& value);

} // namespace cfmigrate
