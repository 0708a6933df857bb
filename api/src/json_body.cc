// Reading a request's JSON body: the media type, nesting depth, syntax, numbers beyond a double
// and duplicate members, each refused with the problem that names where.
#include <cctype>
#include <set>
#include <vector>

#include "expectmatch/api/problem.h"
#include "handler_util.h"

namespace expectmatch::api::internal {

namespace {
// JSON bodies are accepted as application/json (or any +json type), and with no type or
// curl's default form type, since embassy scripts often omit the header.
bool AcceptableJsonType(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& ch : type) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return type.empty() || type == "application/json" ||
         type == "application/x-www-form-urlencoded" ||
         (type.rfind("application/", 0) == 0 && type.size() > 5 &&
          type.substr(type.size() - 5) == "+json");
}
// Deeper bodies are refused before they are parsed: nlohmann's copies and dumps recurse, and
// a megabyte of "[" would overflow a worker's stack.
constexpr int kMaxJsonDepth = 64;

// True when arrays and objects nest deeper than kMaxJsonDepth (strings skipped).
bool TooDeep(const std::string& text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      if (ch == '\\') {
        ++i;
      } else if (ch == '"') {
        in_string = false;
      }
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      if (++depth > kMaxJsonDepth) return true;
    } else if (ch == ']' || ch == '}') {
      --depth;
    }
  }
  return false;
}

// Replays a parse to learn where it fails (only on the error path): the JSON pointer of the
// value being read, the error, and whether it is a number out of range or too deep a nesting.
class FailureLocator final : public nlohmann::json_sax<Json> {
 public:
  std::string pointer;
  std::string message;
  bool out_of_range = false;
  bool too_deep = false;
  bool duplicate = false;

  bool null() override { return Done(); }
  bool boolean(bool) override { return Done(); }
  bool number_integer(number_integer_t) override { return Done(); }
  bool number_unsigned(number_unsigned_t) override { return Done(); }
  bool number_float(number_float_t, const string_t&) override { return Done(); }
  bool string(string_t&) override { return Done(); }
  bool binary(binary_t&) override { return Done(); }
  bool start_object(std::size_t) override { return Open(false); }
  bool key(string_t& key) override {
    frames_.back().key = key;
    if (!frames_.back().keys.insert(key).second) {
      pointer = Pointer();
      duplicate = true;
      return false;
    }
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(true); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    pointer = Pointer();
    message = e.what();
    out_of_range = e.id == 406;
    return false;
  }

 private:
  struct Frame {
    bool array;
    size_t index = 0;
    std::string key;
    std::set<std::string> keys;
  };
  std::string Pointer() const {
    std::string out;
    for (const Frame& frame : frames_) {
      out += '/';
      if (frame.array) {
        out += std::to_string(frame.index);
        continue;
      }
      out += datasets::EscapePointerToken(frame.key);
    }
    return out;
  }
  bool Done() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    return true;
  }
  bool Open(bool array) {
    if (static_cast<int>(frames_.size()) >= kMaxJsonDepth) {
      pointer = Pointer();
      too_deep = true;
      return false;
    }
    frames_.push_back(Frame{array, 0, {}, {}});
    return true;
  }
  bool Close() {
    frames_.pop_back();
    return Done();
  }
  std::vector<Frame> frames_;
};

size_t CountMembers(const Json& json) {
  size_t count = json.is_object() ? json.size() : 0;
  if (json.is_structured()) {
    for (const Json& child : json) count += CountMembers(child);
  }
  return count;
}

HttpResponse JsonFailure(const std::string& text) {
  FailureLocator locator;
  Json::sax_parse(text, &locator);
  if (locator.too_deep) {
    return Problem(400,
                   "the request body nests arrays and objects deeper than " +
                       std::to_string(kMaxJsonDepth) + " levels",
                   {{locator.pointer, "", "nested too deep"}});
  }
  if (locator.duplicate) {
    return Problem(400, "the request body names a member twice",
                   {{locator.pointer, "", "duplicate member name"}});
  }
  if (locator.out_of_range) {
    return Problem(422, "the request body holds a number out of range",
                   {{locator.pointer, "", "number out of range"}});
  }
  std::string message = locator.message.empty() ? "parse error" : locator.message;
  if (auto pos = message.find("parse error"); pos != std::string::npos)
    message = message.substr(pos);
  if (!locator.pointer.empty()) message += " (at " + locator.pointer + ")";
  return Problem(400, "the request body is not valid JSON", {{"", "", message}});
}
}  // namespace

std::optional<HttpResponse> ParseJsonBody(const HttpRequest& request, Json* body) {
  if (!AcceptableJsonType(request.Header("content-type"))) {
    return Problem(415, "the request body must be JSON (Content-Type: application/json)",
                   {{"", "Content-Type",
                     "unsupported media type \"" + request.Header("content-type") + "\""}});
  }
  if (TooDeep(request.body)) return JsonFailure(request.body);
  size_t keys_read = 0;
  try {
    *body = Json::parse(request.body, [&keys_read](int, Json::parse_event_t event, Json&) {
      if (event == Json::parse_event_t::key) ++keys_read;
      return true;
    });
  } catch (const Json::exception&) {
    // Syntax errors, invalid UTF-8, and numbers beyond a double (1e400).
    return JsonFailure(request.body);
  }
  // nlohmann keeps the last of duplicate members silently: fewer members than keys read means
  // a duplicate, which is refused rather than guessed at.
  if (keys_read != CountMembers(*body)) return JsonFailure(request.body);
  return std::nullopt;
}

}  // namespace expectmatch::api::internal
