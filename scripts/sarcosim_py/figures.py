"""The figures of one or several result files. Each function returns a matplotlib Figure with
labelled axes (units), a title saying what is shown, and the Okabe-Ito colour-blind-safe palette."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from .results import band_over_replicates

# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
SEXES = ["men", "women"]

plt.rcParams.update({"font.size": 11, "axes.titlesize": 12, "axes.labelsize": 11, "legend.fontsize": 9,
                     "figure.dpi": 110, "axes.spines.top": False, "axes.spines.right": False})


def _subtitle(results):
    r = results[0]
    reps = f", {r.replicates} replicates (95 % bands)" if r.replicates > 1 else ""
    return f"{r.agents:,} people, {r.years[-1]:.0f} years{reps}"


def _age_band_axis(ax, results):
    """Age bands on the x axis, from the youngest band anyone in any file was in (the empty bands
    below the population's ages are left out) to the open-ended last one (100+), shown whole."""
    bands = results[0].bands
    alive = sum(r.series("alive").sum(axis=(0, 1, 2)) for r in results)
    youngest = int(np.argmax(alive > 0)) if alive.any() else 0
    ax.set_xticks(np.arange(len(bands)), bands, rotation=45)
    ax.set_xlabel("age band (years)")
    ax.set_xlim(youngest - 0.5, len(bands) - 0.5)


def sarcopenia_by_age(results):
    """Sarcopenia prevalence by age band and sex, at the start and the end (first file), or at the
    end for each file side by side."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    r0 = results[0]
    for sex, ax in enumerate(axes):
        x = np.arange(len(r0.bands))
        lines = [(r0, 0, f"{r0.label}, start")] if len(results) == 1 else []
        lines += [(r, -1, f"{r.label}, year {r.years[-1]:.0f}") for r in results]
        for k, (r, period, label) in enumerate(lines):
            share = 100 * r.share("sarcopenia")[:, period, sex, :]
            m, lo, hi = band_over_replicates(share)
            ax.plot(x, m, marker="o", color=PALETTE[k % len(PALETTE)], label=label)
            ax.fill_between(x, lo, hi, color=PALETTE[k % len(PALETTE)], alpha=0.2)
        _age_band_axis(ax, results)
        ax.set_title(SEXES[sex])
    for ax in axes:
        ax.set_ylabel("sarcopenia prevalence (%)")
    axes[0].set_ylim(bottom=0)
    axes[0].legend()
    fig.suptitle(f"Sarcopenia (scenario's definition) by age and sex — {_subtitle(results)}")
    fig.tight_layout()
    return fig


def muscle_trajectories(results):
    """Mean lean mass and grip strength of the living over time, by sex."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, (name, label) in zip(axes, [("mean_alm_kg", "appendicular lean mass (kg)"),
                                        ("mean_grip_kg", "grip strength (kg)")]):
        for k, r in enumerate(results):
            for sex in (0, 1):
                m, lo, hi = band_over_replicates(r.pooled_mean(name, sex))
                colour = PALETTE[(2 * k + sex) % len(PALETTE)]
                ax.plot(r.years, m, color=colour, label=f"{r.label}, {SEXES[sex]}",
                        linestyle="-" if sex == 0 else "--")
                ax.fill_between(r.years, lo, hi, color=colour, alpha=0.2)
        ax.set_xlabel("years since the start")
        ax.set_ylabel(label)
        ax.set_title(f"Mean {label.split(' (')[0]} of the living")
    axes[0].legend()
    fig.suptitle(f"Muscle trajectories — {_subtitle(results)}")
    fig.tight_layout()
    return fig


def falls_fractures_by_age(results):
    """Falls and fractures per 1000 person-years by age band, over the whole run."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    r0 = results[0]
    x = np.arange(len(r0.bands))
    width = 0.8 / len(results)
    for k, r in enumerate(results):
        for ax, name, label in [(axes[0], "falls", "falls"), (axes[1], None, "fractures")]:
            if name:
                rate = r.rate_per_1000(name, axis=(3,))
            else:
                rate = sum(r.rate_per_1000(f"fractures_{s}", axis=(3,)) for s in ("hip", "wrist", "vertebral", "humerus", "other"))
            m, lo, hi = band_over_replicates(rate)
            ax.bar(x + (k - (len(results) - 1) / 2) * width, m, width, color=PALETTE[k % len(PALETTE)],
                   yerr=[m - lo, hi - m] if r.replicates > 1 else None, capsize=2, label=r.label)
            ax.set_ylabel(f"{label} per 1000 person-years")
            ax.set_title(f"{label.capitalize()} by age")
    for ax in axes:
        _age_band_axis(ax, results)
    axes[0].legend()
    fig.suptitle(f"Falls and fractures (all sexes) — {_subtitle(results)}")
    fig.tight_layout()
    return fig


def hospital_use(results):
    """Hospital bed days and admissions per 1000 person-years over time."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for k, r in enumerate(results):
        py = r.series("person_years").sum(axis=(2, 3))
        bed = 1000 * r.series("bed_days").sum(axis=(2, 3)) / np.maximum(py, 1e-12)
        adm = sum(r.series(n).sum(axis=(2, 3)) for n in r.f["series"] if n.startswith("admissions_"))
        adm = 1000 * adm / np.maximum(py, 1e-12)
        for ax, v in ((axes[0], bed), (axes[1], adm)):
            m, lo, hi = band_over_replicates(v)
            ax.plot(r.years, m, color=PALETTE[k % len(PALETTE)], label=r.label)
            ax.fill_between(r.years, lo, hi, color=PALETTE[k % len(PALETTE)], alpha=0.2)
    axes[0].set_ylabel("bed days per 1000 person-years")
    axes[0].set_title("Days in hospital")
    axes[1].set_ylabel("admissions per 1000 person-years")
    axes[1].set_title("Hospital admissions")
    for ax in axes:
        ax.set_xlabel("years since the start")
    axes[0].legend()
    fig.suptitle(f"Hospital use — {_subtitle(results)}")
    fig.tight_layout()
    return fig


def traced_individuals(result, people=6):
    """Daily lean mass and leg strength of traced people, with bed rest shaded and falls marked."""
    t = result.trace()
    if t is None:
        return None
    ev = result.events()
    n = min(people, t["agent"].shape[0])
    fig, axes = plt.subplots(n, 1, figsize=(11, 1.9 * n + 0.8), sharex=True, squeeze=False)
    days = t["day"]
    for k in range(n):
        ax = axes[k, 0]
        agent = t["agent"][k]
        alive = t["alive"][:, k] > 0
        alm = np.where(alive, t["alm_kg"][:, k], np.nan)
        ax.plot(days, alm, color=PALETTE[0], label="lean mass (kg)")
        ax.set_ylabel("ALM (kg)", color=PALETTE[0])
        ax2 = ax.twinx()
        leg = np.where(alive, 100 * t["muscle.leg_strength"][:, k], np.nan)
        ax2.plot(days, leg, color=PALETTE[1], label="leg strength (% of start)")
        ax2.set_ylabel("leg strength (%)", color=PALETTE[1])
        disuse = t["disuse.kind"][:, k] > 0
        ax.fill_between(days, 0, 1, where=disuse, transform=ax.get_xaxis_transform(), color="0.6", alpha=0.4,
                        label="bed rest / immobilised")
        finite = alm[np.isfinite(alm)]
        if finite.size:  # the lean-mass scale, not from zero: changes of a few % must show
            pad = max(0.05 * finite.mean(), 0.5 * (finite.max() - finite.min()))
            ax.set_ylim(finite.min() - pad, finite.max() + pad)
        if ev is not None and "fall" in ev["names"]:
            falls = ev["day"][(ev["agent"] == agent) & (ev["type"] == ev["names"].index("fall"))]
            for d in falls:
                ax.axvline(d, color=PALETTE[2], linewidth=1.2)
        ax.set_title(f"person {agent}" + ("" if alive[-1] else " (died)"), loc="left", fontsize=10)
        if k == 0:
            handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
            handles.append(plt.Line2D([], [], color=PALETTE[2], label="fall"))
            ax.legend(handles=handles, loc="lower left", ncol=4, fontsize=8)
    axes[-1, 0].set_xlabel("day of the run")
    fig.suptitle(f"Traced people in {result.label}: daily lean mass and leg strength")
    fig.tight_layout()
    return fig


FIGURES = {
    "sarcopenia_by_age": sarcopenia_by_age,
    "muscle_trajectories": muscle_trajectories,
    "falls_fractures_by_age": falls_fractures_by_age,
    "hospital_use": hospital_use,
}
