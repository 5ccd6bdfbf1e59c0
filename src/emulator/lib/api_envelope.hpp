#pragma once
// Cloudflare's response envelope ({success, errors, messages, result[, result_info]}), the error
// codes the emulator answers with, and list pagination.

#include <cfmigrate/emulator/service.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cfmigrate::emulator {

// Error codes. Auth codes follow what Cloudflare is recorded answering (docs/emulator.md);
// validation codes 1001..1007 are the emulator's own (Cloudflare publishes no catalogue).
namespace api_error {
constexpr int invalid_token = 1000;
constexpr int bad_body = 1001;
constexpr int invalid_zone = 1001;
constexpr int bad_policy = 1002;
constexpr int bad_group = 1003;
constexpr int token_not_found = 1003;
constexpr int bad_resource = 1004;
constexpr int bad_condition = 1005;
constexpr int bad_date = 1006;
constexpr int quota = 1007;
constexpr int bad_pagination = 1008;
constexpr int invalid_headers = 6003;
constexpr int no_route = 7003;
constexpr int record_not_found = 81044;
constexpr int unknown_key = 9103;
constexpr int missing_auth = 9106;
constexpr int ip_denied = 9109;
constexpr int auth_error = 10000;
constexpr int internal = 10001;
constexpr int rate_limited = 10429;
} // namespace api_error

// A request's query parameters, url-decoded.
using Query = std::map<std::string, std::string>;
Query parse_query(std::string_view query);

// A refused request: the error response, or nothing when the request may go on.
using Refusal = std::optional<Response>;

Response json_response(unsigned status, const boost::json::value& body);
Response ok(boost::json::value result, std::optional<boost::json::object> result_info = std::nullopt,
            boost::json::array messages = {});
Response fail(unsigned status, int code, std::string message);
Response forbidden();    // 403, 10000 "Authentication error"
Response no_route();     // 404, 7003 "No route for the URI"

// One page of `items` (query page >= 1, per_page 5..50, default 1 and 20) with result_info; a
// 400 (1008) for a bad page or per_page.
Response paginated(const Query& query, const boost::json::array& items);

// Cloudflare's list filter on names: "contains:", "starts_with:", "ends_with:", "not_equal:" and
// their _case_sensitive variants; a plain value matches the whole name, ignoring case.
bool name_matches(std::string_view filter, const std::string& name);

// The fixed date Cloudflare objects without a recorded date show.
inline constexpr const char* k_epoch = "2024-01-01T00:00:00Z";

} // namespace cfmigrate::emulator
