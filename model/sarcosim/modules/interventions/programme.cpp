#include "sarcosim/modules/interventions/programme.hpp"

#include <algorithm>
#include <cmath>
#include <deque>

#include "sarcosim/core/hazard_budget.hpp"
#include "sarcosim/core/shared_state.hpp"

namespace sarcosim {

std::span<const ParamSpec> programme_params(const ProgrammeDefaults& d,
                                            std::initializer_list<ParamSpec> own) {
  // Programmes are few and their parameter lists are built once; the strings live for the
  // program's lifetime, as ParamSpec's views require.
  static std::deque<std::string> text;
  static std::deque<std::vector<ParamSpec>> lists;
  auto key = [&](const char* field) -> std::string_view {
    return text.emplace_back(std::string(d.name) + "." + field);
  };
  auto& v = lists.emplace_back();
  v.push_back(bool_param(key("enabled"), false, "run this programme", "scenario choice"));
  v.push_back(int_param(key("start_day"), 0, 0, 73000, "day", "first day people can be enrolled",
                        "scenario choice"));
  v.push_back(int_param(key("end_day"), 73000, 0, 73000, "day",
                        "day the programme ends for everyone", "scenario choice"));
  v.push_back(real_param(key("uptake"), d.uptake, 0, 1, "",
                         "share of eligible people who accept (coverage; offered programmes: each "
                         "person decides once, triggered: once per episode)",
                         d.uptake_source));
  v.push_back(real_param(key("adherence"), d.adherence, 0, 1, "",
                         "share of the programme actually done; scales its effect",
                         d.adherence_source));
  v.push_back(real_param(key("dropout_rate"), d.dropout_rate, 0, 100, "1/yr",
                         "rate of leaving before the end", d.adherence_source));
  v.push_back(real_param(key("places_per_year"), d.places_per_year, 0, 1e9, "people/yr",
                         "new places per year (0: no limit)", "scenario choice"));
  v.push_back(real_param(key("duration_days"), d.duration_days, 0, 73000, "days",
                         "time each person stays in (0: until the programme ends)",
                         "scenario choice"));
  v.push_back(real_param(key("age_min"), d.age_min, 0, 121, "years", "youngest eligible age",
                         "scenario choice"));
  v.push_back(real_param(key("age_max"), d.age_max, 0, 121, "years",
                         "eligible people are younger than this", "scenario choice"));
  v.push_back(
      choice_param(key("sex"), "any", "any|male|female", "eligible sex", "scenario choice"));
  v.push_back(real_param(key("cost_per_year"), d.cost_per_year, 0, 1e7, "USD2020",
                         "cost per person-year in the programme", d.cost_source));
  v.push_back(real_param(key("cost_per_enrolment"), d.cost_per_enrolment, 0, 1e7, "USD2020",
                         "one-off cost per enrolment (assessment, equipment)", d.cost_source));
  for (const ParamSpec& p : own)
    v.push_back(p);
  return v;
}

namespace {
std::string field(const ProgrammeDefaults& d, const char* f) {
  return std::string(d.name) + "." + f;
}
}  // namespace

Programme::Programme(const ProgrammeDefaults& d, const ParamSet& p)
    : params_(p),
      name_(d.name),
      adherence_(p.real(field(d, "adherence"))),
      bit_(d.bit),
      triggered_(d.triggered),
      enabled_(p.boolean(field(d, "enabled"))),
      start_(static_cast<std::int32_t>(p.integer(field(d, "start_day")))),
      end_(static_cast<std::int32_t>(p.integer(field(d, "end_day")))),
      uptake_(p.real(field(d, "uptake"))),
      dropout_daily_(p.real(field(d, "dropout_rate")) * kPerYearToPerDay),
      log_stay_daily_(std::log1p(-dropout_daily_)),
      places_per_year_(p.real(field(d, "places_per_year"))),
      duration_(static_cast<std::int32_t>(p.real(field(d, "duration_days")))),
      age_min_(p.real(field(d, "age_min"))),
      age_max_(p.real(field(d, "age_max"))),
      cost_daily_(p.real(field(d, "cost_per_year")) * kPerYearToPerDay),
      cost_enrolment_(p.real(field(d, "cost_per_enrolment"))),
      uptake_stream_(stream(name_ + ".uptake")),
      priority_stream_(stream(name_ + ".priority")),
      dropout_stream_(stream(name_ + ".dropout")) {
  const std::string& s = p.text(field(d, "sex"));
  sex_ = s == "male" ? 0 : s == "female" ? 1 : -1;
  if (enabled_) {  // else no one could ever be enrolled
    require_below(p, field(d, "start_day"), field(d, "end_day"));
    require_below(p, field(d, "age_min"), field(d, "age_max"));
  }
}

void Programme::attach(Population& pop, Registry& reg) {
  core_ = CoreColumns::find(pop);
  count_ = static_cast<std::uint32_t>(pop.size());
  // A programme switched off keeps no per-person state (45 bytes a person for all nine); its
  // series stay, as zeros, so that files of all scenarios have the same datasets.
  if (enabled_) {
    until_ = pop.add<std::int32_t>({name_ + ".until_day",
                                    "day",
                                    "0 never enrolled, > 0 enrolled until this day, -1 left",
                                    {},
                                    false});
    offered_ =
        pop.add<std::uint8_t>({name_ + ".offered", "", "accepted a place this period", {}, false});
    if (bit_ < 0 || bit_ >= state::kProgrammeBits)
      throw std::logic_error(name_ + ": programme bit beyond state::kProgrammeBits");
    training_ = pop.lookup_table(state::kTrainingStimulus);
    protein_ = pop.lookup_table(state::kProteinSupplement);
    bedbound_ = pop.lookup_table(state::kBedboundMultiplier);
    disuse_mass_ = pop.lookup_table(state::kDisuseMassMultiplier);
    fall_ = pop.lookup_table(state::kFallMultiplier);
    hip_ = pop.lookup_table(state::kHipFractureMultiplier);
    recovery_ = pop.lookup_table(state::kRecoveryMultiplier);
    for (std::uint32_t mask = 0; mask < (1u << state::kProgrammeBits); ++mask)
      if (mask & (1u << bit_)) apply(static_cast<std::uint16_t>(mask));
  }
  enrolled_series_ =
      reg.add_series({"enrolled_" + name_, "people",
                      "people in " + name_ + " at the end of the period", SeriesKind::Level});
  enrolments_ = reg.add_series(
      {"enrolments_" + name_, "people", "new enrolments in " + name_, SeriesKind::Count});
  person_years_ = reg.add_series(
      {"enrolled_years_" + name_, "years", "person-time in " + name_, SeriesKind::Count});
  cost_ = reg.add_series({"cost_" + name_, "USD2020", "cost of " + name_, SeriesKind::Count});
  enrol_event_ = reg.add_event_type({"enrol_" + name_, "1"});
  leave_event_ =
      reg.add_event_type({"leave_" + name_, "1 finished, 2 dropped out, 3 no longer eligible"});
}

void Programme::connect(const Population& pop) {
  enrolled_ = pop.get_sparse<std::uint16_t>(state::kEnrolled);
  days_left_ = pop.get_sparse<std::int16_t>(state::kHospitalDaysLeft);
  since_discharge_ = pop.get<std::int16_t>(state::kDaysSinceDischarge);
  care_home_ = pop.get<std::uint8_t>(state::kCareHome);
  sarcopenia_ = pop.get<std::uint8_t>(state::kSarcopenia);
  disuse_ = pop.get_sparse<std::uint8_t>(state::kDisuse);
  last_hip_ = pop.get<Day16>(state::kLastHipFractureDay);
}

bool Programme::may_enrol(std::uint32_t i, std::int32_t day) const {
  if (!core_.alive[i] || until_[i] > 0 || until_[i] == kDeclined || (!triggered_ && until_[i] < 0))
    return false;
  if (sex_ >= 0 && core_.sex[i] != sex_) return false;
  const double age = age_years(day, core_.birth_day[i]);
  return age >= age_min_ && age < age_max_ && eligible(i, day);
}

void Programme::enrol(std::uint32_t i, std::int32_t day) {
  until_[i] = duration_ > 0 ? std::min(end_, day + duration_) : end_;
  enrolled_.set(i, static_cast<std::uint16_t>(enrolled_[i] | (1u << bit_)));
}

void Programme::leave(std::uint32_t i) {
  until_[i] = -1;
  enrolled_.set(i, static_cast<std::uint16_t>(enrolled_[i] & ~(1u << bit_)));
}

// Offered programmes: enrol at the start of a period, within the period's places, in the order
// of each accepting person's random priority (so who gets a place does not depend on indices).
// Whether a person accepts is drawn once for the whole run (kDecidesOnce), not at every offer:
// offered every period with a fresh draw, nearly everyone eligible would accept within months
// whatever the uptake, so uptake is the share of eligible people who ever take part (coverage).
// Those who accept and find no place wait, and get one in a later period by priority.
void Programme::begin_period(const Period& p, const Rng& rng) {
  rng_ = &rng;
  if (!enabled_ || triggered_ || p.first_day >= end_ || p.end_day <= start_) return;
  const std::int32_t day = std::max(p.first_day, start_);
  std::vector<std::pair<double, std::uint32_t>> accepted;
  for (std::uint32_t i = 0; i < count_; ++i) {
    if (!may_enrol(i, day) || rng.uniform(uptake_stream_, i, kDecidesOnce) >= uptake_) continue;
    accepted.push_back({rng.uniform(priority_stream_, i, day), i});
  }
  std::size_t places = accepted.size();
  if (places_per_year_ > 0) {
    places_left_ += places_per_year_ * (p.end_day - day) / kDaysPerYear;
    places = std::min(places, static_cast<std::size_t>(places_left_));
    places_left_ -= static_cast<double>(places);
    std::partial_sort(accepted.begin(), accepted.begin() + static_cast<std::ptrdiff_t>(places),
                      accepted.end());
  }
  for (std::size_t k = 0; k < places; ++k)
    offered_[accepted[k].second] = 1;
}

// Busy: offered a place, in a declined episode, enrolled in a triggered programme (they leave
// when the trigger ends, which may come any day), or (triggered programmes) eligible on the first
// day marked or the period's last day (an episode that starts in between starts with an event,
// which makes the person busy anyway). People enrolled in an offered programme are quiet until
// the day they finish or drop out: their daily step would do nothing else than count the day.
void Programme::mark_busy(std::span<const std::uint32_t> agents, const Period& p,
                          BusyMarks& busy) const {
  if (!enabled_) return;
  const std::int32_t first = busy.first_day();
  const bool open = first < end_ && p.end_day > start_;
  std::uint32_t enrolled[kPhiloxLanes];
  std::size_t n = 0;
  // People who may drop out in the period: the enrolled, and those offered a place (they enrol
  // on their first daily step), for up to kPhiloxLanes at once.
  auto may_drop_out = [&](std::uint32_t i) {
    if (!keeps_dropout_day()) return;
    enrolled[n++] = i;
    if (n == kPhiloxLanes) {
      mark_dropouts(std::span(enrolled, n), p, busy);
      n = 0;
    }
  };
  for (const std::uint32_t i : agents) {
    if (offered_[i] || until_[i] == kDeclined || (triggered_ && until_[i] > 0) ||
        (triggered_ && open && (may_enrol(i, first) || may_enrol(i, p.end_day - 1)))) {
      busy.now(i);
      if (offered_[i]) may_drop_out(i);
    } else if (until_[i] > 0) {
      busy.from_day(i, until_[i]);  // finishes
      may_drop_out(i);
    }
  }
  if (n > 0) mark_dropouts(std::span(enrolled, n), p, busy);
}

// The days the people enrolled in an offered programme drop out in period p (dropout_day), for up
// to kPhiloxLanes at once: their draws come in lanes, the same numbers as one by one. Marks made
// again mid-period find the same days; none can be before the first day marked, as the person
// would have left on it. Each day is kept for the daily steps (drops_out), which would otherwise
// draw it again on every busy day of an enrolled person.
void Programme::mark_dropouts(std::span<const std::uint32_t> agents, const Period& p,
                              BusyMarks& busy) const {
  const int n = static_cast<int>(agents.size());
  std::uint32_t who[kPhiloxLanes];
  for (int j = 0; j < kPhiloxLanes; ++j)
    who[j] = agents[static_cast<std::size_t>(std::min(j, n - 1))];
  const std::uint32_t k[kPhiloxLanes] = {};
  double u[kPhiloxLanes];
  const std::int32_t from = dropout_from(p);
  rng_->uniform_lanes(dropout_stream_, who, from, k, u);
  for (int j = 0; j < n; ++j) {
    const std::int32_t d = dropout_day(u[j], from, p.end_day);  // the period's end for none
    busy.keep(who[j], kDropoutSlot, static_cast<std::uint32_t>(d));
    if (d < p.end_day) busy.from_day(who[j], d);
  }
}

// Offered programmes: the day in [from, end) on which a person whose draw is u drops out, or end
// if they stay through it. Daily dropout with probability q from the day people can first be in
// the period (dropout_from: its first day, or the programme's start, the day places are taken up)
// is a geometric waiting time: one draw a person and period, floor(log(1 - u) / log(1 - q)) days,
// instead of one a day. Triggered programmes, whose people enrol on any day and are stepped
// daily, draw day by day.
std::int32_t Programme::dropout_day(double u, std::int32_t from, std::int32_t end) const {
  const std::int32_t days = end - from;
  // Leaving within `days` needs u < 1 - (1 - q)^days <= days q: most people stay through a
  // period, known without the logarithm (the margin dwarfs the formula's rounding).
  if (u > days * dropout_daily_ * (1 + 1e-9)) return end;
  const double waited = std::floor(std::log1p(-u) / log_stay_daily_);  // q > 0 when asked
  return waited < days ? from + static_cast<std::int32_t>(waited) : end;
}

// The quiet days of people enrolled: counted as the daily step counts them (person-time and the
// daily cost), in closed form unless the days cross an age band (QuietContext::tally_days).
void Programme::advance_quiet(std::span<const QuietDays> quiet, QuietContext& ctx) {
  if (!enabled_) return;
  for (const auto [i, days] : quiet) {
    if (until_[i] <= 0) continue;
    ctx.tally_days<2>({person_years_, cost_}, core_.sex[i], core_.birth_day[i], days,
                      {kPerYearToPerDay, cost_daily_});
  }
}

// Whether person i, enrolled, drops out on the step's day: the day of their waiting time in an
// offered programme (kept by the marks, or drawn again when every day is stepped), a daily draw
// in a triggered one.
bool Programme::drops_out(std::uint32_t i, const StepContext& ctx) const {
  if (dropout_daily_ <= 0) return false;
  if (triggered_) return ctx.rng.uniform(dropout_stream_, i, ctx.day) < dropout_daily_;
  if (ctx.marks_kept()) return ctx.day == static_cast<std::int32_t>(ctx.kept(kDropoutSlot, i));
  const std::int32_t from = dropout_from(ctx.period);
  return ctx.day ==
         dropout_day(ctx.rng.uniform(dropout_stream_, i, from), from, ctx.period.end_day);
}

void Programme::step(const Block&, StepContext& ctx) {
  if (!enabled_) return;
  const bool open = ctx.day >= start_ && ctx.day < end_;
  for (const std::uint32_t i : ctx.agents) {
    if (!core_.alive[i]) continue;
    if (offered_[i] && ctx.day >= start_) {  // a place accepted at the start of the period
      offered_[i] = 0;
      enrol(i, ctx.day);
      ctx.event(i, enrol_event_, 1);
      const int band = AgeBands::at(ctx.day, core_.birth_day[i]);
      ctx.tally(enrolments_, core_.sex[i], band);
      ctx.tally(cost_, core_.sex[i], band, cost_enrolment_);
    }
    if (until_[i] > 0) {
      int why = 0;
      if (ctx.day >= until_[i])
        why = 1;
      else if (drops_out(i, ctx))
        why = 2;
      else if (triggered_ && !eligible(i, ctx.day))
        why = 3;
      if (why) {
        leave(i);
        ctx.event(i, leave_event_, static_cast<float>(why));
        continue;
      }
      const int sex = core_.sex[i], band = AgeBands::at(ctx.day, core_.birth_day[i]);
      ctx.tally(person_years_, sex, band, kPerYearToPerDay);
      ctx.tally(cost_, sex, band, cost_daily_);
    } else if (until_[i] == kDeclined) {
      if (!eligible(i, ctx.day)) until_[i] = -1;  // the episode is over; the next may be taken up
    } else if (triggered_ && open && may_enrol(i, ctx.day)) {
      // Taken up or declined once per episode (a stay, a disuse spell), not day after day.
      if (ctx.rng.uniform(uptake_stream_, i, ctx.day) >= uptake_) {
        until_[i] = kDeclined;
        continue;
      }
      enrol(i, ctx.day);
      ctx.event(i, enrol_event_, 1);
      const int sex = core_.sex[i], band = AgeBands::at(ctx.day, core_.birth_day[i]);
      ctx.tally(enrolments_, sex, band);
      ctx.tally(cost_, sex, band, cost_enrolment_);
    }
  }
}

void Programme::record(RecordContext& ctx) {
  if (!enabled_) return;
  for (const auto [i, sex, band] : ctx.living)
    if (until_[i] > 0) ctx.tally(enrolled_series_, sex, band);
}

}  // namespace sarcosim
