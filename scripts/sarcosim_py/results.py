"""Reading a sarcosim result file: series with their replicate axis, the trace, the event log."""
import os
import warnings

import h5py
import numpy as np


class NotAResult(Exception):
    """The file is missing or is not a sarcosim result file; the message says which."""


class Result:
    def __init__(self, path):
        if not os.path.exists(path):
            raise NotAResult(f"{path}: result file not found")
        try:
            self.f = h5py.File(path, "r")
        except OSError:
            raise NotAResult(f"{path}: not an HDF5 file (or unreadable, or truncated)") from None
        if self.f.attrs.get("format") != "sarcosim-result":
            raise NotAResult(f"{path}: not a sarcosim result file (no format = \"sarcosim-result\" attribute)")
        self.path = path
        meta = self.f["metadata"].attrs
        self.name = str(meta["scenario_name"])
        self.label = self.name  # what legends call the run; see label_runs
        self.description = str(meta.get("scenario_description", ""))
        self.agents = int(meta["agents"])
        self.replicates = int(meta.get("replicates", 1))
        s = self.f["series"]
        self.bands = list(s["age_bands"].asstr()[:])
        self.end_day = s["period_end_day"][:]
        self.years = self.end_day / 365.25

    def has(self, name):
        return name in self.f["series"]

    def series(self, name):
        """[replicate, period, sex, band]"""
        return self.f["series"][name][:]

    def rate_per_1000(self, name, axis):
        """Events per 1000 person-years, summed over the axes not kept; per replicate."""
        events, py = self.series(name), self.series("person_years")
        keep = tuple(a for a in (1, 2, 3) if a not in axis)
        return 1000 * events.sum(axis=keep) / np.maximum(py.sum(axis=keep), 1e-12)

    def share(self, name):
        """Share of the living in a state, [replicate, period, sex, band] (NaN where nobody)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.series(name) / self.series("alive")

    def pooled_mean(self, name, sex=None):
        """A mean series pooled over bands (and sexes), weighted by the living: [replicate, period]."""
        m, alive = self.series(name), self.series("alive")
        if sex is not None:
            m, alive = m[:, :, sex:sex + 1], alive[:, :, sex:sex + 1]
        return np.nansum(m * alive, axis=(2, 3)) / np.maximum(alive.sum(axis=(2, 3)), 1e-12)

    def scenario_toml(self):
        return self.f["metadata"]["scenario_toml"].asstr()[()]

    def trace(self):
        """The daily state of traced people, or None: dict of [day, person] arrays."""
        if "trace" not in self.f:
            return None
        t = self.f["trace"]
        return {k: t[k][:] for k in t}

    def events(self):
        if "events" not in self.f:
            return None
        e = self.f["events"]
        return {"agent": e["agent"][:], "day": e["day"][:], "type": e["type"][:], "detail": e["detail"][:],
                "names": list(e["type_names"].asstr()[:])}


def label_runs(results):
    """Sets each result's label: its scenario name, or where two files share one (the same scenario
    run with another seed or --set) its file name without .h5, or its path where those repeat too.
    The same rule as `sarcosim compare` uses for its titles."""
    labels = [r.name for r in results]
    for rename in (lambda r: os.path.splitext(os.path.basename(r.path))[0], lambda r: r.path):
        repeated = {label for label in labels if labels.count(label) > 1}
        labels = [rename(r) if label in repeated else label for r, label in zip(results, labels)]
    for r, label in zip(results, labels):
        r.label = label


def band_over_replicates(x):
    """Mean and 95 % band over the replicate axis (axis 0): mean +/- 1.96 standard errors; with one
    replicate the band is the line itself."""
    with warnings.catch_warnings():  # empty age bands are NaN, and stay NaN
        warnings.simplefilter("ignore", category=RuntimeWarning)
        mean = np.nanmean(x, axis=0)
        if x.shape[0] < 2:
            return mean, mean, mean
        half = 1.96 * np.nanstd(x, axis=0, ddof=1) / np.sqrt(x.shape[0])
    return mean, mean - half, mean + half
