#!/usr/bin/env bash
# Every benchmark in bench/, each printing its figure next to a baseline measured in the same run.
# They take a while (the 100k curation run alone about 12 minutes on 2 cores); see docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
PY=.venv/bin/python
echo "== collect";  $PY -m bench.collect
echo "== curate";   $PY -m bench.curate
echo "== deliver";  $PY bench/deliver.py --count 20000
echo "== deliver faults"; $PY -m bench.deliver_faults --subscribers 5000
echo "== site";     $PY -m bench.site
echo "== subscribe timing"; $PY -m bench.subscribe_timing --requests 400
