"""Render a chart offline with the real Helm engine and report whether it
renders: the linter's 6.3.1 facts about render failures are checked this way.

Usage: render_check.py < jobs.json > results.json

Input (standard input): a JSON list of jobs. Two kinds:
    {"id": "...", "kind": "render", "chart_dir": "...", "release_name": "osmo",
     "namespace": "osmo", "values_files": ["a.yaml", ...], "values": {...}}
        renders the chart with the files merged like `helm -f a -f b` (maps
        key by key, anything else replaced, a null kept so that it deletes the
        chart's default) and `values` merged over them;
    {"id": "...", "kind": "null-every-map", "chart_dir": "...",
     "release_name": "osmo", "namespace": "osmo", "values": {...},
     "skip": ["a.b", ...]}
        for every map of the chart's defaults not in `skip` (dotted paths),
        renders with `values` and that map set to null.
Output (standard output): a JSON list, one object per job:
    {"id": "...", "error": null or Helm's message} for "render",
    {"id": "...", "failing": {"a.b": "Helm's message", ...}} for "null-every-map".
"""

import copy
import json
import sys

import helm_python.chart as helm

from render import job_values  # one `helm -f` merge for every script


def maps(value, path=()):
    """Every map below the top of a values tree, as a tuple path."""
    if isinstance(value, dict):
        if path:
            yield path
        for k, child in value.items():
            yield from maps(child, path + (k,))


def with_null(values, path):
    out = copy.deepcopy(values)
    cur = out
    for k in path[:-1]:
        nxt = cur.get(k)
        if not isinstance(nxt, dict):
            nxt = {}
            cur[k] = nxt
        cur = nxt
    cur[path[-1]] = None
    return out


def render(chart, values, job):
    try:
        chart.render(values=values, name=job["release_name"], namespace=job["namespace"])
        return None
    except Exception as err:  # Helm's error carries the template and message
        return str(err)


def main() -> int:
    jobs = json.load(sys.stdin)
    results = []
    for job in jobs:
        with helm.Chart.load(job["chart_dir"]) as chart:
            if job["kind"] == "render":
                values = job_values(job)
                results.append({"id": job["id"], "error": render(chart, values, job)})
            elif job["kind"] == "null-every-map":
                with open(job["chart_dir"] + "/values.yaml", encoding="utf-8") as f:
                    defaults = helm.values_from_yaml(f.read())
                skip = set(job.get("skip", []))
                failing = {}
                for path in maps(defaults):
                    dotted = ".".join(path)
                    if dotted in skip:
                        continue
                    err = render(chart, with_null(job.get("values", {}), path), job)
                    if err is not None:
                        failing[dotted] = err
                results.append({"id": job["id"], "failing": failing})
            else:
                print(f"unknown job kind {job['kind']!r}", file=sys.stderr)
                return 2
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
