// splitmix64: the small seeded generator behind the tuner's
// restarts, shuffles and bootstrap, and the seeding of the synthetic data generator's streams.
// Integer operations only, so a seed gives the same sequence on every platform.
#pragma once

#include <cstdint>

namespace expectmatch::tuning {

// Advances `state` and returns the next value of its sequence.
inline uint64_t SplitMix(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace expectmatch::tuning
