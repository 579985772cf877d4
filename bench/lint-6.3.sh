#!/usr/bin/env bash
# Benchmark of `osmo-values lint` on one OSMO 6.3.1 values file (not a test).
# Prints the wall-clock time per run of
#   osmo-values lint --release 6.3.1 osmo_values.yaml
# against check-jsonschema validating the same values with our 6.3.1 schema
# (schemas/6.3.1/service.values.schema.json). check-jsonschema is given the
# values as JSON, converted by our own reader (the example values_to_json),
# so that both tools judge the same values and its YAML reading is not
# counted against it. Target: osmo-values at least 50x faster.
#
# The file: the service chart's own values.yaml of ../shared (2,280 lines
# with its comments) configured for a real install (host name, database
# password wiring, an identity provider with oauth2-proxy and the gateway's
# JWT providers), as an operator who starts from the chart's file writes it;
# without ../shared, our complete 6.3.1 fixture (shorter).
#
# Needs: cargo, python3, hyperfine (installed with apt-get when missing),
# check-jsonschema in .venv (installed from tests/requirements.txt when
# missing). Everything it writes stays in target/bench-6.3 and .venv/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/target/bench-6.3"
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
cargo build --release --locked --quiet -p osmo-values --example values_to_json
bin="$root/target/release/osmo-values"
to_json="$root/target/release/examples/values_to_json"
schema="$root/schemas/6.3.1/service.values.schema.json"

one="$out/osmo_values.yaml"
defaults=../shared/reference/osmo-6.3.1/service/values.yaml
if [ -f "$defaults" ]; then
  python3 - "$defaults" "$one" <<'PY'
import sys
# Set values at dotted paths of a block-style YAML file, line by line,
# keeping every comment: the edits an operator makes to the chart's file.
edits = {
    "global.osmoImageTag": '"6.3.1"',
    "global.hostname": "osmo.example.com",
    "services.configFile.enabled": "true",
    "services.service.hostname": "osmo.example.com",
    "gateway.envoy.idp.host": "login.microsoftonline.com",
    "gateway.oauth2Proxy.oidcIssuerUrl": "https://login.microsoftonline.com/0a1b2c3d-0000-4000-8000-000000000001/v2.0",
    "gateway.oauth2Proxy.clientId": "7e8f9a0b-0000-4000-8000-000000000002",
    "gateway.oauth2Proxy.cookieDomain": ".example.com",
    "gateway.oauth2Proxy.useKubernetesSecrets": "true",
}
providers = """\
      - issuer: https://login.microsoftonline.com/0a1b2c3d-0000-4000-8000-000000000001/v2.0
        audience: 7e8f9a0b-0000-4000-8000-000000000002
        jwks_uri: https://login.microsoftonline.com/0a1b2c3d-0000-4000-8000-000000000001/discovery/v2.0/keys
        user_claim: preferred_username
        cluster: idp
      - issuer: osmo
        audience: osmo
        jwks_uri: https://osmo-service/api/auth/keys
        user_claim: unique_name
        cluster: osmo-service-jwks
"""
src, dst = sys.argv[1], sys.argv[2]
stack, done, lines = [], set(), []
for line in open(src, encoding="utf-8"):
    body = line.lstrip(" ")
    indent = len(line) - len(body)
    if body.strip() and not body.startswith(("#", "-")) and ":" in body:
        key = body.split(":", 1)[0].strip()
        stack = [(i, k) for i, k in stack if i < indent] + [(indent, key)]
        path = ".".join(k for _, k in stack)
        if path in edits and path not in done:
            line = " " * indent + f"{key}: {edits[path]}\n"
            done.add(path)
        elif path == "gateway.envoy.jwt.providers" and path not in done:
            line = " " * indent + "providers:\n" + providers
            done.add(path)
    lines.append(line)
missing = set(edits) - done
assert not missing, f"not found in the chart's values: {missing}"
open(dst, "w", encoding="utf-8").writelines(lines)
PY
else
  cp tests/fixtures/lint-6.3.1-good/production-entra/osmo_values.yaml "$one"
fi
"$to_json" "$one" > "$out/osmo_values.json"
echo "file: $one ($(wc -l < "$one") lines); schema: $schema"
echo "osmo-values lint says:"
"$bin" lint --release 6.3.1 --color never "$one" || true
echo "check-jsonschema says:"
"$root/.venv/bin/check-jsonschema" --schemafile "$schema" "$out/osmo_values.json" || true

# -N: no shell between hyperfine and the tools (a shell's start-up would
# count for more than the work on the osmo-values side).
hyperfine -N --style basic --warmup 3 --min-runs 20 --ignore-failure \
  --export-json "$out/one.json" \
  -n osmo-values "$bin lint --release 6.3.1 --color never $one" \
  -n check-jsonschema "$root/.venv/bin/check-jsonschema --schemafile $schema $out/osmo_values.json"

python3 - "$out/one.json" <<'PY'
import json, sys
one = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
ov, cj = one["osmo-values"], one["check-jsonschema"]
print()
print(f"one 6.3.1 file: osmo-values lint {ov['mean']*1000:.1f} ms (+/- {ov['stddev']*1000:.1f}), "
      f"check-jsonschema {cj['mean']*1000:.0f} ms: {cj['mean']/ov['mean']:.0f}x faster (target >= 50x)")
print(f"medians: osmo-values {ov['median']*1000:.1f} ms, check-jsonschema {cj['median']*1000:.0f} ms: "
      f"{cj['median']/ov['median']:.0f}x")
print(f"CPU time per run: osmo-values {(ov['user']+ov['system'])*1000:.1f} ms, "
      f"check-jsonschema {(cj['user']+cj['system'])*1000:.0f} ms")
with open("/proc/loadavg") as f:
    print(f"load average during the run: {f.read().split()[0]} "
          f"(other processes on the machine slow every figure)")
PY
