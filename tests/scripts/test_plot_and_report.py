#!/usr/bin/python3
"""Tests of scripts/plot and scripts/report on small result files made here.

usage: test_plot_and_report.py SARCOSIM WORKDIR [--chromium PATH]
"""
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

sarcosim, work = sys.argv[1], sys.argv[2]
chromium = sys.argv[sys.argv.index("--chromium") + 1] if "--chromium" in sys.argv else shutil.which("chromium")
passed, failed = 0, 0


def check(condition, what):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {what}")


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True, cwd=ROOT)


shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
base, other = os.path.join(work, "base.h5"), os.path.join(work, "fall.h5")
r = run(sarcosim, "run", "scenarios/baseline.toml", "--agents", "1500", "--years", "2", "--replicates", "2",
        "--trace", "4", "--quiet", "-o", base)
check(r.returncode == 0, "baseline run: " + r.stdout + r.stderr)
r = run(sarcosim, "run", "scenarios/interventions/fall_prevention_exercise.toml", "--agents", "1500", "--years", "2",
        "--replicates", "2", "--quiet", "-o", other)
check(r.returncode == 0, "intervention run: " + r.stdout + r.stderr)

# Figures: the files, and the panels in them.
from sarcosim_py.figures import FIGURES, traced_individuals  # noqa: E402
from sarcosim_py.results import Result, label_runs  # noqa: E402

results = [Result(base), Result(other)]
for name, make in FIGURES.items():
    fig = make(results)
    check(len(fig.axes) >= 2, f"{name}: two panels")
    check(fig._suptitle is not None and fig._suptitle.get_text(), f"{name}: a title")
    for ax in fig.axes:
        check(ax.get_xlabel() and ax.get_ylabel(), f"{name}: labelled axes ({ax.get_title()})")
    labels = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    check(any("fall_prevention_exercise" in t for t in labels), f"{name}: both scenarios in the legend")
fig = traced_individuals(results[0])
check(fig is not None and len(fig.axes) == 8, "traced individuals: 4 people, 2 axes each")
check(traced_individuals(results[1]) is None, "no trace, no traced figure")

out = os.path.join(work, "figures")
r = run(os.path.join(ROOT, "scripts", "plot"), base, other, "-o", out)
check(r.returncode == 0, "scripts/plot: " + r.stderr)
written = r.stdout.split()
check(len(written) == 5, f"scripts/plot wrote 5 figures: {written}")
for p in written:
    check(os.path.getsize(p) > 10000 and open(p, "rb").read(8) == b"\x89PNG\r\n\x1a\n", f"{p}: a non-empty PNG")

# Age bands: every band to the open-ended last one (100+) is shown whole.
for name in ("sarcopenia_by_age", "falls_fractures_by_age"):
    for ax in FIGURES[name](results).axes:
        check(ax.get_xlim()[1] >= len(results[0].bands) - 0.5, f"{name}: the last age band whole ({ax.get_xlim()})")

# Two files of one scenario (here with another definition of sarcopenia) are told apart by file name,
# in legends and in the traced people's file names.
fnih = os.path.join(work, "base_fnih.h5")
r = run(sarcosim, "run", "scenarios/baseline.toml", "--agents", "1500", "--years", "2", "--replicates", "2",
        "--trace", "4", "--set", "sarcopenia.definition=FNIH", "--quiet", "-o", fnih)
check(r.returncode == 0, "baseline run with FNIH: " + r.stdout + r.stderr)
same_scenario = [Result(base), Result(other), Result(fnih)]
label_runs(same_scenario)
check([x.label for x in same_scenario] == ["base", "fall_prevention_exercise", "base_fnih"],
      f"labels: {[x.label for x in same_scenario]}")
legend = [t.get_text() for t in FIGURES["falls_fractures_by_age"](same_scenario).axes[0].get_legend().get_texts()]
check(legend == ["base", "fall_prevention_exercise", "base_fnih"], f"legend names each file once: {legend}")
r = run(os.path.join(ROOT, "scripts", "plot"), base, fnih, "-o", os.path.join(work, "same_scenario"))
written = r.stdout.split()
check(r.returncode == 0 and len(set(written)) == 6, f"scripts/plot: 4 figures and 2 traced, apart: {written}")

# Scripts refuse missing and foreign files, with a clear message and a non-zero exit.
notes = os.path.join(work, "notes.txt")
open(notes, "w").write("not a result")
for script in ("plot", "report"):
    extra = ["-o", os.path.join(work, "x.html")] if script == "report" else []
    for bad, message in ((os.path.join(work, "missing.h5"), "result file not found"), (notes, "not an HDF5 file")):
        r = run(os.path.join(ROOT, "scripts", script), bad, *extra)
        check(r.returncode != 0 and message in r.stderr, f"{script} refuses {bad}: {r.stderr.strip()}")

# The report: self-contained, every figure embedded and loaded in a real browser.
report = os.path.join(work, "report.html")
r = run(os.path.join(ROOT, "scripts", "report"), base, other, "-o", report, "--sarcosim", sarcosim)
check(r.returncode == 0, "scripts/report: " + r.stderr)
text = open(report, encoding="utf-8").read()
images = len(re.findall(r'<img [^>]*src="data:image/png;base64,', text))
check(images == 5, f"report embeds 5 figures ({images})")
check("http://" not in text and "https://" not in text, "report needs no network")
for needed in ("What the scenarios change", "fall_prevention_exercise.enabled", "Sherrington 2019", "95 % interval",
               "Incremental cost per QALY"):
    check(needed in text, f"report mentions {needed!r}")
if chromium:
    probe = os.path.join(work, "probe.html")
    open(probe, "w", encoding="utf-8").write(text.replace(
        "</body>", "<script>window.addEventListener('load', () => { const imgs = [...document.images];"
                   " const ok = imgs.filter(i => i.complete && i.naturalWidth > 0).length;"
                   " document.body.insertAdjacentHTML('beforeend', `<p id='probe'>loaded ${ok} of ${imgs.length}</p>`); });"
                   "</script></body>"))
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={os.path.join(work, 'chromium-profile')}"]
    r = subprocess.run([chromium, *flags, "--virtual-time-budget=5000", "--dump-dom", "file://" + probe],
                       capture_output=True, text=True, timeout=120)
    m = re.search(r"loaded (\d+) of (\d+)", r.stdout)
    check(m is not None and m.group(1) == m.group(2) == "5", f"Chromium loaded every figure: {m.group(0) if m else r.stderr[-300:]}")
    shot = os.path.join(work, "report.png")
    subprocess.run([chromium, *flags, "--window-size=1200,2400", f"--screenshot={shot}", "file://" + report],
                   capture_output=True, text=True, timeout=120)
    check(os.path.exists(shot) and os.path.getsize(shot) > 50000, "a screenshot of the report")
else:
    print("chromium not installed: the browser check was skipped")
    failed += 1

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
