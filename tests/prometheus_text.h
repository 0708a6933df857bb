// The Prometheus text exposition format read back line by line, for tests of /metrics.
#pragma once

#include <cmath>
#include <exception>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace expectmatch::testing {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct Exposition {
  std::vector<Sample> samples;
  std::map<std::string, std::string> types;  // family → counter, gauge, histogram
  std::vector<std::string> errors;           // lines that are not valid exposition text

  // The value of the one sample with `name` and (at least) `labels`; -1 when absent.
  double Value(const std::string& name,
               const std::map<std::string, std::string>& labels = {}) const {
    for (const Sample& sample : samples) {
      if (sample.name != name) continue;
      bool match = true;
      for (const auto& [key, value] : labels) {
        auto it = sample.labels.find(key);
        match = match && it != sample.labels.end() && it->second == value;
      }
      if (match) return sample.value;
    }
    return -1;
  }
};

inline Exposition ParseExposition(const std::string& text) {
  static const std::regex kSample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$)");
  static const std::regex kLabel(R"re(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$))re");
  static const std::regex kType(
      R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$)");
  static const std::regex kHelp(R"(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*$)");
  Exposition out;
  if (text.empty() || text.back() != '\n') out.errors.push_back("the text must end with a newline");
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch match;
    if (std::regex_match(line, match, kType)) {
      out.types[match[1]] = match[2];
      continue;
    }
    if (std::regex_match(line, kHelp)) continue;
    if (!std::regex_match(line, match, kSample)) {
      out.errors.push_back(line);
      continue;
    }
    Sample sample;
    sample.name = match[1];
    std::string labels = match[3];
    size_t consumed = 0;
    for (std::sregex_iterator it(labels.begin(), labels.end(), kLabel), end; it != end; ++it) {
      if (static_cast<size_t>(it->position()) != consumed) break;
      sample.labels[(*it)[1]] = (*it)[2];
      consumed += static_cast<size_t>(it->length());
    }
    if (consumed != labels.size()) out.errors.push_back(line);
    std::string value = match[4];
    try {
      sample.value = value == "+Inf" ? HUGE_VAL : std::stod(value);
    } catch (const std::exception&) {
      out.errors.push_back(line);
    }
    // Every sample belongs to a family declared by a TYPE line before it.
    std::string family = sample.name;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string s = suffix;
      if (!out.types.count(family) && family.size() > s.size() &&
          family.compare(family.size() - s.size(), s.size(), s) == 0) {
        family = family.substr(0, family.size() - s.size());
      }
    }
    if (!out.types.count(family)) out.errors.push_back("no TYPE before: " + line);
    out.samples.push_back(std::move(sample));
  }
  return out;
}

}  // namespace expectmatch::testing
