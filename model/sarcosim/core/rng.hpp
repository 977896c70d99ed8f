// Counter-based random numbers: every draw is a pure function of
// (seed, named stream, agent, day, k), computed with Random123's Philox4x32-10.
//
// There is no generator state to advance, so draws do not depend on thread count, on the order in
// which agents or modules run, or on whether another module is switched on. Two scenarios with the
// same seed therefore share every draw that an intervention does not touch (common random numbers).
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>

#include "sarcosim/core/math_lanes.hpp"
#include "sarcosim/core/philox_lanes.hpp"

namespace sarcosim {

// A named random stream: one per decision ("demography.death", "falls.site", ...).
struct StreamId {
  std::uint32_t value;
  friend constexpr bool operator==(StreamId, StreamId) = default;
};

// FNV-1a of the name: stable across builds and platforms, so a stream's draws never change
// when streams are added elsewhere.
constexpr StreamId stream(std::string_view name) {
  std::uint32_t h = 2166136261u;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return StreamId{h};
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : seed_(seed) {}
  std::uint64_t seed() const { return seed_; }

  // The same draws, with agent i's drawn as those of person[i]: people are stored in another
  // order than they were drawn in (core/population.hpp), and keep their own random numbers.
  Rng keyed_by(const std::uint32_t* person) const {
    Rng r = *this;
    r.person_ = person;
    return r;
  }

  // Four independent uniforms in the open interval (0, 1).
  std::array<double, 4> uniform4(StreamId s, std::uint32_t agent, std::int32_t day,
                                 std::uint32_t k = 0) const {
    using Philox = r123::Philox4x32;
    Philox::key_type key = {{static_cast<std::uint32_t>(seed_), s.value}};
    Philox::ctr_type ctr = {{person_ ? person_[agent] : agent, static_cast<std::uint32_t>(day), k,
                             static_cast<std::uint32_t>(seed_ >> 32)}};
    const Philox::ctr_type r = Philox{}(ctr, key);
    return {to_open_unit(r[0]), to_open_unit(r[1]), to_open_unit(r[2]), to_open_unit(r[3])};
  }

  double uniform(StreamId s, std::uint32_t agent, std::int32_t day, std::uint32_t k = 0) const {
    return uniform4(s, agent, day, k)[0];
  }

  // uniform(s, agent[j], day, k[j]) for the 16 lanes j at once (core/philox_lanes.hpp): the same
  // numbers, for many draws made together.
  void uniform_lanes(StreamId s, const std::uint32_t (&agent)[kPhiloxLanes], std::int32_t day,
                     const std::uint32_t (&k)[kPhiloxLanes], double (&out)[kPhiloxLanes]) const {
    const PhiloxLanes lanes = philox_lanes_of(s, agent, day, k);
    for (int j = 0; j < kPhiloxLanes; ++j)
      out[j] = to_open_unit(lanes.word[0][j]);
  }

  // uniform4(s, agent[j], day, k[j]) for the 16 lanes j at once: u[w][j] is its w-th uniform.
  void uniform4_lanes(StreamId s, const std::uint32_t (&agent)[kPhiloxLanes], std::int32_t day,
                      const std::uint32_t (&k)[kPhiloxLanes], double (&u)[4][kPhiloxLanes]) const {
    const PhiloxLanes lanes = philox_lanes_of(s, agent, day, k);
    for (int w = 0; w < 4; ++w)
      for (int j = 0; j < kPhiloxLanes; ++j)
        u[w][j] = to_open_unit(lanes.word[w][j]);
  }

  // f(i, n, id) for i = first, first + 16, ... before `last`: the 16 positions from i (n of them
  // before `last`, all 16 but at the end; the lanes past it repeat the last one), id[j] =
  // id_of(position) for the one in lane j (the agent, or the draw number stored there).
  template <class Index, class IdOf, class F>
  static void in_lanes(Index first, Index last, IdOf&& id_of, F&& f) {
    std::uint32_t id[kPhiloxLanes];
    for (Index i = first; i < last; i += kPhiloxLanes) {
      const Index n = last - i < kPhiloxLanes ? last - i : Index{kPhiloxLanes};
      for (Index j = 0; j < kPhiloxLanes; ++j)
        id[j] = id_of(i + (j < n ? j : n - 1));
      f(i, n, std::as_const(id));
    }
  }

  // f(i, u, n) for agents i, i + 16, ... from `first` to `last`, u[j] = uniform(s, i + j, day)
  // for the first n lanes (all 16 but at the end; the lanes past it repeat the last agent's).
  template <class F>
  void for_each_uniform_lanes(StreamId s, std::uint32_t first, std::uint32_t last, std::int32_t day,
                              F&& f) const {
    const std::uint32_t k[kPhiloxLanes] = {};
    double u[kPhiloxLanes];
    in_lanes(first, last, std::identity{},
             [&](std::uint32_t i, std::uint32_t n, const std::uint32_t(&agent)[kPhiloxLanes]) {
               uniform_lanes(s, agent, day, k, u);
               f(i, std::as_const(u), n);
             });
  }

  // f(i, uniform(s, i, day)) for each agent i in [first, last), 16 draws at a time.
  template <class F>
  void for_each_uniform(StreamId s, std::uint32_t first, std::uint32_t last, std::int32_t day,
                        F&& f) const {
    for_each_uniform_lanes(s, first, last, day,
                           [&](std::uint32_t i, const double(&u)[kPhiloxLanes], std::uint32_t n) {
                             for (std::uint32_t j = 0; j < n; ++j)
                               f(i + j, u[j]);
                           });
  }

  // f(i, normal2(s, i, day)[0]) for each agent i in [first, last), 16 draws at a time.
  template <class F>
  void for_each_normal(StreamId s, std::uint32_t first, std::uint32_t last, std::int32_t day,
                       F&& f) const {
    const std::uint32_t k[kPhiloxLanes] = {};
    double z0[kPhiloxLanes], z1[kPhiloxLanes];
    in_lanes(first, last, std::identity{},
             [&](std::uint32_t i, std::uint32_t n, const std::uint32_t(&agent)[kPhiloxLanes]) {
               normal2_lanes(s, agent, day, k, z0, z1);
               for (std::uint32_t j = 0; j < n; ++j)
                 f(i + j, z0[j]);
             });
  }

  // normal2(s, agent[j], day, k[j]) for the 16 lanes j at once: z0[j] and z1[j].
  void normal2_lanes(StreamId s, const std::uint32_t (&agent)[kPhiloxLanes], std::int32_t day,
                     const std::uint32_t (&k)[kPhiloxLanes], double (&z0)[kPhiloxLanes],
                     double (&z1)[kPhiloxLanes]) const {
    static_assert(kPhiloxLanes == kMathLanes);
    const PhiloxLanes lanes = philox_lanes_of(s, agent, day, k);
    double u0[kPhiloxLanes], u1[kPhiloxLanes];
    for (int j = 0; j < kPhiloxLanes; ++j) {
      u0[j] = to_open_unit(lanes.word[0][j]);
      u1[j] = to_open_unit(lanes.word[1][j]);
    }
    normal_pair_lanes(u0, u1, z0, z1);
  }

  // A unit exponential: the cumulative hazard an agent can bear before the next event.
  double exponential(StreamId s, std::uint32_t agent, std::int32_t day, std::uint32_t k = 0) const {
    return -std::log(uniform(s, agent, day, k));
  }

  // Two independent standard normals (Box-Muller on one Philox call, core/math_lanes.hpp).
  std::array<double, 2> normal2(StreamId s, std::uint32_t agent, std::int32_t day,
                                std::uint32_t k = 0) const {
    const auto u = uniform4(s, agent, day, k);
    return normal_pair(u[0], u[1]);
  }

 private:
  // Philox's words for uniform4(s, agent[j], day, k[j]) in lane j.
  PhiloxLanes philox_lanes_of(StreamId s, const std::uint32_t (&agent)[kPhiloxLanes],
                              std::int32_t day, const std::uint32_t (&k)[kPhiloxLanes]) const {
    PhiloxLanes lanes;
    for (int j = 0; j < kPhiloxLanes; ++j) {
      lanes.word[0][j] = person_ ? person_[agent[j]] : agent[j];
      lanes.word[1][j] = static_cast<std::uint32_t>(day);
      lanes.word[2][j] = k[j];
      lanes.word[3][j] = static_cast<std::uint32_t>(seed_ >> 32);
    }
    philox_lanes(lanes, static_cast<std::uint32_t>(seed_), s.value);
    return lanes;
  }
  // (x + 0.5) / 2^32: never exactly 0 or 1, so log() and inverse CDFs are always finite.
  static constexpr double to_open_unit(std::uint32_t x) {
    return (static_cast<double>(x) + 0.5) * 2.3283064365386963e-10;
  }
  std::uint64_t seed_;
  const std::uint32_t* person_ = nullptr;
};

// Draws made before the first simulated day (population synthesis, initial states) use this day.
inline constexpr std::int32_t kInitDay = -1;

}  // namespace sarcosim
