#include "sarcosim/modules/cohort.hpp"

#include "sarcosim/core/shared_state.hpp"

namespace sarcosim {

std::span<const ParamSpec> cohort_params() {
  static constexpr ParamSpec k[] = {
      choice_param("cohort.exposure", "none", "none|bed_rest|leg_immobilisation|intensive_care",
                   "what the cohort is exposed to", "study design"),
      int_param("cohort.start_day", 0, 0, 73000, "day", "first day of the exposure",
                "study design"),
      int_param("cohort.days", 10, 1, 3650, "days", "length of the exposure", "study design"),
      real_param("cohort.age_min", 65, 18, 120, "years", "youngest member (age on start_day)",
                 "study design"),
      real_param("cohort.age_max", 70, 18, 121, "years", "members are younger than this",
                 "study design"),
      choice_param("cohort.sex", "any", "any|male|female", "sex of the members", "study design"),
      real_param("cohort.share", 1, 0, 1, "", "share of eligible people enrolled", "study design"),
      bool_param("cohort.healthy_only", true,
                 "enrol only people without conditions, not in hospital or a care home (as "
                 "volunteer studies do)",
                 "study design"),
      real_param("cohort.dose", 1, 0, 1, "", "share of the day unloaded during the exposure",
                 "study design (strict bed rest: 1)"),
  };
  return k;
}

namespace {

constexpr StreamId kEnrolStream = stream("cohort.enrol");

class Cohort final : public Module {
 public:
  explicit Cohort(const ParamSet& p)
      : start_(static_cast<std::int32_t>(p.integer("cohort.start_day"))),
        end_(start_ + static_cast<std::int32_t>(p.integer("cohort.days"))),
        age_min_(p.real("cohort.age_min")),
        age_max_(p.real("cohort.age_max")),
        share_(p.real("cohort.share")),
        healthy_only_(p.boolean("cohort.healthy_only")),
        dose_(p.real("cohort.dose")) {
    require_below(p, "cohort.age_min", "cohort.age_max");  // else no one is a member
    const std::string& e = p.text("cohort.exposure");
    kind_ = e == "bed_rest"             ? state::kBedRest
            : e == "leg_immobilisation" ? state::kLegImmobilised
            : e == "intensive_care"     ? state::kIntensiveCare
                                        : state::kNoDisuse;
    const std::string& s = p.text("cohort.sex");
    sex_ = s == "male" ? 0 : s == "female" ? 1 : -1;
  }

  std::string_view name() const override { return "cohort"; }

  void attach(Population& pop, Registry& reg) override {
    core_ = CoreColumns::find(pop);
    // Sparse: 0 for everyone without a study, where a dense column would take memory once read
    // (the snapshot reads it) on kernels that give a page to a read.
    member_ = pop.add_sparse<std::uint8_t>(
        {kCohortMemberColumn, "", "1 if enrolled in the in-silico study", {}, true, true});
    exposure_event_ = reg.add_event_type(
        {"exposure", "disuse kind: 1 bed rest, 2 intensive care, 3 leg immobilised"});
  }

  void connect(const Population& pop) override {
    disuse_ = pop.get_sparse<std::uint8_t>(state::kDisuse);
    disuse_day_ = pop.get_sparse<std::uint16_t>(state::kDisuseDay);
    dose_col_ = pop.get_sparse<state::DisuseDose>(state::kDisuseDose);
    conditions_ = pop.get<std::uint16_t>(state::kConditions);
    care_home_ = pop.get<std::uint8_t>(state::kCareHome);
  }

  void init(const Block& b, const Rng& rng) override {
    if (kind_ == state::kNoDisuse) return;
    for (std::uint32_t i = b.begin; i < b.end; ++i) {
      const double age = age_years(start_, core_.birth_day[i]);
      member_.set(i, age >= age_min_ && age < age_max_ && (sex_ < 0 || core_.sex[i] == sex_) &&
                         rng.uniform(kEnrolStream, i, kInitDay) < share_ &&
                         !(healthy_only_ && (conditions_[i] || care_home_[i])));
    }
  }

  // Busy: members, in the periods their exposure overlaps.
  void mark_busy(std::span<const std::uint32_t> agents, const Period& p,
                 BusyMarks& busy) const override {
    if (kind_ == state::kNoDisuse || p.end_day <= start_ || busy.first_day() >= end_) return;
    for (const std::uint32_t i : agents)
      if (member_[i]) busy.from_day(i, start_);
  }

  void step(const Block&, StepContext& ctx) override {
    if (kind_ == state::kNoDisuse || ctx.day < start_ || ctx.day >= end_) return;
    for (const std::uint32_t i : ctx.agents) {
      if (!member_[i] || !core_.alive[i]) continue;
      if (ctx.day == start_) ctx.event(i, exposure_event_, kind_);
      disuse_.set(i, kind_);
      disuse_day_.set(i, static_cast<std::uint16_t>(ctx.day - start_ + 1));
      dose_col_.set(i, dose_);
    }
  }

 private:
  std::int32_t start_, end_;
  double age_min_, age_max_, share_;
  bool healthy_only_;
  double dose_;
  state::Disuse kind_;
  int sex_;
  CoreColumns core_{};
  Sparse<std::uint8_t> member_;
  std::uint8_t* care_home_ = nullptr;
  std::uint16_t* conditions_ = nullptr;
  Sparse<std::uint8_t> disuse_;
  Sparse<std::uint16_t> disuse_day_;
  Sparse<state::DisuseDose> dose_col_;
  EventTypeId exposure_event_ = 0;
};

}  // namespace

std::unique_ptr<Module> make_cohort(const ParamSet& params) {
  return std::make_unique<Cohort>(params);
}

}  // namespace sarcosim
