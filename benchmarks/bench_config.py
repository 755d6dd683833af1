"""Configuration: what reading cdk.json's context costs, at synth and for every `ivr` command that needs it.

`load_config` on the shipped context is the median of N calls in one process (the models already
built); the import of `configuration.model` (pydantic and the section models) and the import
followed by a first `load_config` are medians of fresh interpreters, interleaved.
"""
from __future__ import annotations

import json
import statistics
import sys
import time

from benchmarks._measure import REPO_ROOT, arguments, cold_imports, count
from configuration.model import load_config

_FIRST_LOAD = "import json; from configuration.model import load_config; load_config(json.load(open('cdk.json'))['context'])"


def load_config_us(runs: int) -> float:
    context = json.loads((REPO_ROOT / "cdk.json").read_text())["context"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        load_config(context)
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = arguments("bench_config", __doc__)
    parser.add_argument("--runs", type=count, default=2000, help="load_config calls (default 2000)")
    parser.add_argument("--import-runs", type=count, default=9, help="fresh interpreters per import (default 9)")
    args = parser.parse_args(argv)
    print(f"configuration, load_config median of {args.runs} calls, imports median of {args.import_runs} fresh interpreters")
    print(f"  load_config(cdk.json context):        {load_config_us(args.runs):8.1f} us")
    imports = cold_imports({"configuration.model": {}, _FIRST_LOAD: {}}, args.import_runs)
    print(f"  import configuration.model:           {statistics.median(imports['configuration.model']):8.1f} ms")
    print(f"  import and a first load_config:       {statistics.median(imports[_FIRST_LOAD]):8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
