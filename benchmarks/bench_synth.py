"""What monitoring costs at synth: `build_app()` + `app.synth()` with monitoring on, then off.

Each run is a fresh interpreter (jsii start-up included, as in `npx cdk synth`), alternating
on/off so machine noise hits both; prints the median of each and what monitoring adds to the
template.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections import Counter

from benchmarks._measure import REPO_ROOT, arguments, count, print_table

_CHILD = """
import json, sys, time
start = time.perf_counter()
from app import build_app
imported = time.perf_counter()
app, stack = build_app(context_overrides={"monitoring_enabled": sys.argv[1] == "on"}, outdir=sys.argv[2])
built = time.perf_counter()
template = app.synth().get_stack_by_name(stack.stack_name).template
done = time.perf_counter()
from testkit.template_reading import figures
print(json.dumps({"import_s": imported - start, "build_s": built - imported, "synth_s": done - built,
                  "types": [r["Type"] for r in template["Resources"].values()], "figures": figures(template)}))
"""


def run(setting: str) -> dict:
    with tempfile.TemporaryDirectory() as outdir:
        result = subprocess.run(
            [sys.executable, "-c", _CHILD, setting, outdir], cwd=REPO_ROOT, capture_output=True, text=True,
            env={**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"},
        )
    if result.returncode:
        raise RuntimeError(f"synthesis with {setting} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = arguments("bench_synth", __doc__)
    parser.add_argument("--runs", type=count, default=3, help="fresh interpreters per setting (default 3; ~6 s each)")
    runs = parser.parse_args(argv).runs
    samples: dict[str, list[dict]] = {"off": [], "on": []}
    for _ in range(runs):
        for setting in ("off", "on"):
            samples[setting].append(run(setting))
    build_synth = {setting: [r["build_s"] + r["synth_s"] for r in runs_] for setting, runs_ in samples.items()}
    rows = [(f"monitoring {setting}", statistics.median(times), min(times),
             statistics.median(r["import_s"] + r["build_s"] + r["synth_s"] for r in samples[setting]),
             len(samples[setting][0]["types"])) for setting, times in build_synth.items()]
    print_table(["", "build+synth s", "min s", "with imports s", "resources"], rows, digits=2,
                title=f"bench_synth: build_app() + synth, median of {runs} fresh interpreters per setting "
                      "(min: the least disturbed run, on a shared machine)")
    added = Counter(samples["on"][0]["types"]) - Counter(samples["off"][0]["types"])
    median_cost = statistics.median(build_synth["on"]) - statistics.median(build_synth["off"])
    min_cost = min(build_synth["on"]) - min(build_synth["off"])
    print(f"  monitoring adds {median_cost:+.2f} s (median; {min_cost:+.2f} s by min) and: "
          + ", ".join(f"{n} {t.split('::')[-1]}" for t, n in sorted(added.items())))
    for subject, (alarm_count, widget_count) in sorted(samples["on"][0]["figures"].items()):
        print(f"  {subject:40} {alarm_count:2} alarms  {widget_count:2} widgets (the alarm-state widget lists every alarm)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
