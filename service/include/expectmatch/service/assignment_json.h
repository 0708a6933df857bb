// JSON views of a batch assignment shared by POST /v1/assignments and `expectmatch assign --json`.
#pragma once

#include <string>
#include <vector>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/matcher/assignment.h"

namespace expectmatch::service {

// What the fairness floor achieved, needs named by their ids (`need_ids`: the problem's).
inline datasets::Json EncodeFairness(const matcher::FairnessReport& f,
                                     const std::vector<std::string>& need_ids) {
  datasets::Json below = datasets::Json::array(), unreachable = datasets::Json::array();
  for (uint32_t i : f.below) below.push_back(need_ids[i]);
  for (uint32_t i : f.unreachable) unreachable.push_back(need_ids[i]);
  return {{"requested_floor", f.requested_floor},
          {"floor_reached", f.floor_reached},
          {"score_given_up", f.score_given_up},
          {"base_total", f.base_total},
          {"met", f.met},
          {"below", below},
          {"unreachable", unreachable}};
}

}  // namespace expectmatch::service
