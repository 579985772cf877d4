#!/usr/bin/env bash
# Benchmark of `osmo-values lint` (not a test). Prints:
#   1. one values file: osmo-values lint against check-jsonschema validating
#      the same file with our generated schema (hyperfine, wall clock per run);
#   2. 10,000 values files (2,500 deployments of four charts, generated into
#      target/bench/) linted in one call: files per second.
# Targets: >= 30x faster than check-jsonschema per file; >= 10,000 files/s
# on 2 cores.
#
# Needs: cargo, python3 (check-jsonschema is installed into .venv from
# tests/requirements.txt when missing), hyperfine (installed with apt-get
# when missing). Everything it writes stays in target/ and .venv/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/target/bench"
mkdir -p "$out"

if ! command -v hyperfine >/dev/null; then
  echo "installing hyperfine (apt-get)" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
  else sudo apt-get install -y -qq hyperfine >/dev/null; fi
fi
if [ ! -x .venv/bin/check-jsonschema ]; then
  echo "installing check-jsonschema into .venv" >&2
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
fi

cargo build --release --locked --quiet --bin osmo-values
bin="$root/target/release/osmo-values"
cores=$(nproc)

# --- 1. One file --------------------------------------------------------
# The service chart's defaults when ../shared is present (a long, realistic
# file; the numeric `osmoImageTag: 6.2` quoted so both tools accept it), else
# our service fixture.
one="$out/one/osmo_values.yaml"
mkdir -p "$out/one"
if [ -f ../shared/reference/osmo-6.2.10/service/values.yaml ]; then
  sed 's/^\(  *osmoImageTag:\) 6\.2$/\1 "6.2"/' ../shared/reference/osmo-6.2.10/service/values.yaml > "$one"
else
  cp tests/fixtures/values/service/good.yaml "$one"
fi
"$bin" schema --chart service > "$out/service.schema.json"
echo "file: $one ($(wc -l < "$one") lines)"

hyperfine --style basic --warmup 3 --min-runs 20 --ignore-failure \
  --export-json "$out/one.json" \
  -n osmo-values "$bin lint --color never $one" \
  -n check-jsonschema "$root/.venv/bin/check-jsonschema --schemafile $out/service.schema.json $one"

# --- 2. 10,000 files ----------------------------------------------------
many="$out/many"
rm -rf "$many"
python3 - "$many" <<'PY'
import os, sys, pathlib
root = pathlib.Path(sys.argv[1])
fixtures = pathlib.Path("tests/fixtures/values")
files = {
    "osmo_values.yaml": (fixtures / "service/good.yaml").read_text(),
    "router_values.yaml": (fixtures / "router/good.yaml").read_text(),
    "ui_values.yaml": (fixtures / "web-ui/good.yaml").read_text(),
    "backend_operator_values.yaml": (fixtures / "backend-operator/good.yaml").read_text(),
}
bad = {
    "osmo_values.yaml": (fixtures / "service/bad-typo.yaml").read_text(),
    "router_values.yaml": (fixtures / "router/bad-type.yaml").read_text(),
}
for d in range(2500):
    target = root / f"deploy-{d:04d}"
    target.mkdir(parents=True)
    for name, text in files.items():
        # One deployment in ten has a mistake in it.
        if d % 10 == 0 and name in bad:
            text = bad[name]
        (target / name).write_text(f"# deployment {d}\n" + text)
PY
count=$(find "$many" -name '*.yaml' | wc -l)
echo "files: $count in $many ($(du -sh "$many" | cut -f1))"
# The same on one core (taskset), to show how it scales.
hyperfine --style basic --warmup 1 --min-runs 5 --ignore-failure \
  --export-json "$out/many.json" \
  -n "osmo-values lint ($count files, $cores cores)" \
  "$bin lint --format json $many/*/*.yaml > /dev/null" \
  -n "osmo-values lint ($count files, 1 core)" \
  "taskset -c 0 $bin lint --format json $many/*/*.yaml > /dev/null"

# --- Figures --------------------------------------------------------------
python3 - "$out/one.json" "$out/many.json" "$count" "$cores" <<'PY'
import json, sys
one = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
many, single = json.load(open(sys.argv[2]))["results"]
count, cores = int(sys.argv[3]), int(sys.argv[4])
ov, cj = one["osmo-values"]["mean"], one["check-jsonschema"]["mean"]
print()
print(f"one file:   osmo-values lint {ov*1000:.1f} ms, check-jsonschema {cj*1000:.1f} ms: "
      f"{cj/ov:.0f}x faster (target >= 30x)")
print(f"many files: {count} files in {many['mean']*1000:.0f} ms "
      f"(+/- {many['stddev']*1000:.0f} ms): {count/many['mean']:,.0f} files/s on {cores} cores "
      f"(target >= 10,000 files/s on 2 cores)")
print(f"            on 1 core: {count/single['mean']:,.0f} files/s; "
      f"CPU time {(many['user']+many['system'])*1000:.0f} ms: "
      f"{count/(many['user']+many['system']):,.0f} files per CPU-second")
with open("/proc/loadavg") as f:
    print(f"load average during the run: {f.read().split()[0]} "
          f"(other processes on the machine slow every figure)")
PY
