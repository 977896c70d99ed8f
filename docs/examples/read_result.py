#!/usr/bin/python3
"""Reads a sarcosim result file with h5py and pandas: the example of docs/output.md, which shows
this file as it is (CTest runs it on a result file of 2 replicates).

usage: docs/examples/read_result.py RESULT.h5
"""
import sys

import h5py
import numpy as np
import pandas as pd

path = sys.argv[1]
with h5py.File(path, "r") as f:
    if f.attrs.get("format") != "sarcosim-result":
        sys.exit(f"{path}: not a sarcosim result file")
    meta = f["metadata"].attrs
    print(f"scenario {meta['scenario_name']}, seed {meta['seed']}, {meta['agents']} agents")

    s = f["series"]
    days = s["period_end_day"][:]
    bands = s["age_bands"].asstr()[:]
    print(f"{meta['replicates']} replicate(s), seeds {list(f['metadata/replicate_seeds'][:])}")
    alive = s["alive"][:]                  # [replicate, period, sex, age band]
    deaths = s["deaths"][:]
    person_years = s["person_years"][:]
    # Mortality per 1000 person-years over the whole run, by sex (all replicates pooled).
    rate = 1000 * deaths.sum(axis=(0, 1, 3)) / person_years.sum(axis=(0, 1, 3))
    print(f"mortality per 1000 person-years: men {rate[0]:.1f}, women {rate[1]:.1f}")
    # A mean series is already divided by the alive count of its cell; weight by it to pool.
    alm = s["mean_alm_kg"][0]              # replicate 0: [period, sex, age band]
    pooled = np.nansum(alm * alive[0], axis=(1, 2)) / alive[0].sum(axis=(1, 2))
    print(f"mean ALM {pooled[0]:.2f} kg on day {days[0]} -> {pooled[-1]:.2f} kg on day {days[-1]}")
    print("age bands:", ", ".join(bands))

    snap = f["snapshot"]
    dead = snap["alive"][:] == 0
    print(f"{dead.sum()} of {dead.size} agents died; snapshot columns: {', '.join(snap.keys())}")
    if "events" in f:
        ev = f["events"]
        names = ev["type_names"].asstr()[:]
        counts = np.bincount(ev["type"][:], minlength=len(names))
        print("events:", ", ".join(f"{n} {c}" for n, c in zip(names, counts)))

    # Into pandas, one row per replicate, period, sex and age band. Read everything inside the
    # `with` block: the datasets cannot be read once the file is closed.
    R, P, S, B = alive.shape
    df = pd.DataFrame({
        "replicate": np.repeat(np.arange(R), P * S * B),
        "period_end_day": np.tile(np.repeat(days, S * B), R),
        "sex": np.tile(np.repeat(s["sexes"].asstr()[:], B), R * P),
        "age_band": np.tile(bands, R * P * S),
        **{name: s[name][:].ravel() for name in s if s[name].ndim == 4},
    })
print(df.shape[0], "rows,", df.shape[1], "columns")
print(df.groupby("sex")[["deaths", "person_years"]].sum())
