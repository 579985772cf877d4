"""Render Helm charts offline with the real Helm engine and print the objects.

The smallest renderer the migration round trip needs, reading the same jobs
as tests/helm/render.py (which adds Kubernetes-schema and Envoy checks):

Usage: render_objects.py < jobs.json > results.json

Input: a JSON list of jobs
    {"id": "any text", "chart_dir": "...", "release_name": "service",
     "namespace": "osmo", "values_files": ["a.yaml", "b.yaml"]}
Output: {"jobs": [{"id", "error": null or Helm's message,
                   "objects": [{"template", "apiVersion", "kind", "name",
                                "namespace", "object"}]}]}
Values files merge as `helm -f a -f b` merges them; a job that fails to
render has an "error" and no objects, and the others go on. Exit status 0
whenever the output was written, 2 on bad input.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import sys

import helm_python.chart as helm

DOCUMENT_SPLIT = re.compile(r"(?:^|\s*\n)---\s*")


def merged(a: dict, b: dict) -> dict:
    """`b` over `a`: maps key by key, anything else replaced."""
    out = dict(a)
    for key, value in b.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def objects_of(manifests: dict[str, str]) -> list[dict]:
    found = []
    for template in sorted(manifests):
        base = posixpath.basename(template)
        if base == "NOTES.txt" or base.startswith("_"):
            continue
        for doc in DOCUMENT_SPLIT.split(manifests[template]):
            if not doc.strip():
                continue
            obj = helm.values_from_yaml(doc)
            if not obj:
                continue
            meta = obj.get("metadata") or {}
            found.append({"template": template, "apiVersion": obj.get("apiVersion"),
                          "kind": obj.get("kind"), "name": meta.get("name"),
                          "namespace": meta.get("namespace"), "object": obj})
    return found


def run(job: dict, charts: dict) -> dict:
    result = {"id": job.get("id"), "error": None, "objects": []}
    try:
        chart_dir = job["chart_dir"]
        if chart_dir not in charts:
            charts[chart_dir] = helm.Chart.load(chart_dir)
        values: dict = {}
        for path in job.get("values_files") or []:
            with open(path, encoding="utf-8") as f:
                values = merged(values, helm.values_from_yaml(f.read()))
        manifests = charts[chart_dir].render(values=values, name=job["release_name"],
                                             namespace=job["namespace"], is_install=True)
        result["objects"] = objects_of(manifests)
    except Exception as err:  # Helm's message names the template and line
        result["error"] = str(err)
    return result


def main() -> int:
    try:
        jobs = json.load(sys.stdin)
        if not isinstance(jobs, list):
            raise ValueError("expected a JSON list of jobs")
    except ValueError as err:
        print(f"render_objects.py: bad input: {err}", file=sys.stderr)
        return 2
    charts: dict = {}
    results = [run(j, charts) for j in jobs]
    for chart in charts.values():
        chart.close()
    json.dump({"jobs": results}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("HELM_LOG_LEVEL", "error")
    sys.exit(main())
