"""Render Helm charts offline with the real Helm engine, many deployments in one
process, and check what Helm itself does not: the Kubernetes schema of every
object, the Envoy configurations the charts carry in ConfigMaps, the JWT
providers' key hosts, and placeholders left in the output.

Usage: render.py [--kube-version 1.30] [--no-objects] < jobs.json > results.json

Input (standard input): a JSON list of jobs, each
    {"id": "entra-nginx/service",              # any text, echoed back
     "chart_dir": "../shared/reference/osmo-6.2.10/service",
     "release_name": "service", "namespace": "osmo",
     "values_files": ["osmo_values.yaml", ...],  # optional: read like `helm -f`,
                                                 # several merged in order
     "values": {...},                           # optional: merged over the files
     "objects": true,                           # optional: include the objects
     "coalesced_values": false}                 # optional: include the values
                                                 # the templates saw
Output (standard output): one JSON object
    {"kubernetes_version": "1.30",
     "jobs": [{"id", "chart", "error": null or Helm's message, "object_count",
               "objects": [{"template", "apiVersion", "kind", "name",
                            "namespace", "object"}],
               "values": {...} (when asked),
               "checks": {"kubernetes": {...}, "envoy": {...}, "jwt": {...},
                          "placeholders": [...], "duplicates": [...]},
               "problems": ["one sentence per problem", ...]}]}
A job that fails to render has an "error" and a problem; the others go on.
The exit status is 0 whenever the output was written; 2 on bad input.

Several values files are merged the way `helm -f a -f b` merges them (maps key
by key, anything else replaced, a null kept so that Helm then deletes the
default), then Helm coalesces the result with the chart's defaults. Rendered
documents are split and parsed the way Helm splits a release manifest, and
read with Helm's own YAML reader (sigs.k8s.io/yaml, the reader kubectl uses).

Envoy configurations are found in two layouts: a ConfigMap entry holding a
whole bootstrap with `static_resources` (OSMO 6.2: one per service), and a
ConfigMap holding `lds.yaml` and `cds.yaml` (with `bootstrap.yaml`) for
Envoy's file-based discovery (OSMO 6.3 gateway).
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import re
import sys
from typing import Any, Iterator

import helm_python.chart as helm

# Kubernetes version the objects are validated against: see DEFAULT_KUBE_VERSION_WHY.
DEFAULT_KUBE_VERSION = "1.30"
DEFAULT_KUBE_VERSION_WHY = (
    "the oldest Kubernetes the OSMO deployment guides support (v1.30.0+): an object "
    "valid there uses no field a supported cluster lacks"
)

# Kinds that are custom resources: no schema ships with Kubernetes.
CUSTOM_RESOURCE_GROUPS = ("monitoring.coreos.com/",)

# A guide's placeholder (`<your-domain>`) or our own FILL-ME-IN marker. Braces are not
# placeholders: the backend operator's test-runner ConfigMap is a template it fills in itself.
PLACEHOLDER = re.compile(r"<[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*>|FILL-ME-IN")
MANIFEST_SPLIT = re.compile(r"(?:^|\s*\n)---\s*")


# --------------------------------------------------------------------------
# Values


def merge_maps(a: dict, b: dict) -> dict:
    """Helm's mergeMaps: `b` over `a`, maps merged key by key, the rest replaced."""
    out = dict(a)
    for k, v in b.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge_maps(out[k], v)
        else:
            out[k] = v
    return out


def job_values(job: dict) -> dict:
    values: dict = {}
    for path in job.get("values_files") or []:
        with open(path, encoding="utf-8") as f:
            values = merge_maps(values, helm.values_from_yaml(f.read()))
    if job.get("values"):
        values = merge_maps(values, job["values"])
    return values


# --------------------------------------------------------------------------
# Rendered objects


def split_manifests(text: str) -> list[str]:
    """Helm's releaseutil.SplitManifests: documents, without the empty ones."""
    return [d for d in MANIFEST_SPLIT.split(text) if d.strip()]


def rendered_objects(manifests: dict[str, str]) -> list[dict]:
    objects = []
    for template in sorted(manifests):
        base = posixpath.basename(template)
        if base == "NOTES.txt" or base.startswith("_"):
            continue
        for doc in split_manifests(manifests[template]):
            obj = helm.values_from_yaml(doc)
            if not obj:  # only comments
                continue
            meta = obj.get("metadata") or {}
            objects.append(
                {
                    "template": template,
                    "apiVersion": obj.get("apiVersion"),
                    "kind": obj.get("kind"),
                    "name": meta.get("name"),
                    "namespace": meta.get("namespace"),
                    "object": obj,
                }
            )
    return objects


def label(o: dict) -> str:
    return f"{o['kind']}/{o['name']}"


# --------------------------------------------------------------------------
# Kubernetes schema (kubernetes-validate's bundled schemas, strict, offline)


class KubeValidator:
    def __init__(self, version: str) -> None:
        import jsonschema
        from kubernetes_validate import utils as kv
        from referencing import Registry, Resource

        self.kv = kv
        self.jsonschema = jsonschema
        wanted = kv.major_minor(version)
        known = [v for v in kv.all_versions() if kv.major_minor(v) <= wanted]
        if not known:
            raise SystemExit(f"kubernetes-validate has no schemas for Kubernetes {version}")
        self.schema_version = known[-1]
        self.version = kv.major_minor(self.schema_version)
        self.dir = f"kubernetes-json-schema/v{self.schema_version}-local-strict"
        defs = kv.schema_contents(f"{self.dir}/_definitions.json", self.schema_version)
        self.registry = Resource.from_contents(defs) @ Registry()
        self.Resource = Resource
        self.cache: dict[tuple[str, str], Any] = {}
        # Identical objects recur across a batch (RBAC, ServiceAccounts, ...): their
        # errors are computed once.
        self.seen: dict[str, list[tuple[str, str]]] = {}

    def validator(self, kind: str, api_version: str):
        key = (kind, api_version)
        if key not in self.cache:
            group = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
            try:
                schema = self.kv.schema_contents(
                    f"{self.dir}/{kind.lower()}-{group}.json", self.schema_version
                )
            except FileNotFoundError:
                schema = None
            if schema is None:
                self.cache[key] = None
            else:
                registry = self.Resource.from_contents(schema) @ self.registry
                self.cache[key] = self.jsonschema.validators.Draft202012Validator(
                    schema, registry=registry
                )
        return self.cache[key]

    def check(self, objects: list[dict]) -> dict:
        out: dict = {"version": self.version, "validated": 0, "errors": [], "unvalidated": []}
        for o in objects:
            if not o["kind"] or not o["apiVersion"]:
                out["errors"].append(
                    {"object": label(o), "path": "", "message": "no kind or apiVersion"}
                )
                continue
            v = self.validator(o["kind"], o["apiVersion"])
            if v is None:
                custom = o["apiVersion"].startswith(CUSTOM_RESOURCE_GROUPS)
                out["unvalidated"].append(
                    {
                        "object": label(o),
                        "apiVersion": o["apiVersion"],
                        "reason": "custom resource: Kubernetes ships no schema for it"
                        if custom
                        else f"no {o['kind']} in {o['apiVersion']} at Kubernetes {self.version}",
                        "custom_resource": custom,
                    }
                )
                continue
            out["validated"] += 1
            key = json.dumps(o["object"], sort_keys=True)
            if key not in self.seen:
                self.seen[key] = [
                    (".".join(str(p) for p in e.absolute_path), e.message)
                    for e in v.iter_errors(o["object"])
                ]
            for path, message in self.seen[key]:
                out["errors"].append({"object": label(o), "path": path, "message": message})
        return out


# --------------------------------------------------------------------------
# Envoy configurations

ROUTE = "route"
STATIC_KEY = "static_resources"


def walk(node: Any, path: tuple = (), typed: tuple = ()) -> Iterator[tuple[tuple, Any, tuple]]:
    """Every (path, value, typed ancestors) below `node`; `typed` holds the
    `@type` of each enclosing typed_config, innermost last."""
    if isinstance(node, dict):
        t = node.get("@type")
        inner = typed + (t,) if isinstance(t, str) else typed
        for k, v in node.items():
            yield path + (k,), v, inner
            yield from walk(v, path + (k,), inner)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield path + (i,), v, typed
            yield from walk(v, path + (i,), typed)


def typed_at(typed: tuple, suffix: str) -> bool:
    return any(isinstance(t, str) and t.endswith(suffix) for t in typed)


def find_typed(nodes: list, suffix: str) -> Iterator[dict]:
    for _, v, _ in nodes:
        if isinstance(v, dict) and str(v.get("@type", "")).endswith(suffix):
            yield v


def cluster_references(config: Any, nodes: list) -> list[dict]:
    """Every place the configuration names a cluster, with what Envoy does
    when that cluster is not defined. `nodes` is `list(walk(config))`."""
    refs = []
    for path, value, typed in nodes:
        if not isinstance(value, str) or not path:
            continue
        key = path[-1]
        parent = path[-2] if len(path) > 1 else None
        where = "/".join(str(p) for p in path)
        if key == "cluster" and parent == ROUTE:
            effect = "refused"  # a static route table with an unknown cluster does not load
            kind = "route"
        elif key == "name" and len(path) > 3 and path[-3] == "clusters" and path[-4] == "weighted_clusters":
            effect, kind = "refused", "route"
        elif key == "cluster" and len(path) > 2 and path[-3] == "request_mirror_policies":
            effect, kind = "refused", "route"
        elif key == "cluster" and parent in ("http_uri", "server_uri"):
            if typed_at(typed, "JwtAuthentication"):
                effect, kind = "fails", "jwt"
            elif typed_at(typed, "ExtAuthz"):
                effect, kind = "fails", "ext_authz"
            else:
                effect, kind = "fails", "http"
        elif key == "cluster_name" and parent == "envoy_grpc":
            if typed_at(typed, "RateLimit"):
                kind = "rate_limit"
            elif typed_at(typed, "ExtAuthz"):
                kind = "ext_authz"
            else:
                kind = "grpc"
            effect = "fails"
        else:
            continue
        refs.append({"cluster": value, "at": where, "kind": kind, "effect": effect})
    # The filters that fail open: a missing cluster is an error they let pass.
    for ref in refs:
        if ref["kind"] == "rate_limit" and not _filter_flag(config, ref["at"], "failure_mode_deny"):
            ref["effect"] = "tolerated"
        if ref["kind"] == "ext_authz" and _filter_flag(config, ref["at"], "failure_mode_allow"):
            ref["effect"] = "tolerated"
    return refs


def _filter_flag(config: Any, at: str, flag: str) -> bool:
    """The boolean `flag` of the typed filter configuration enclosing `at`."""
    node, flagged = config, False
    for part in at.split("/"):
        if isinstance(node, dict) and "@type" in node:
            flagged = bool(node.get(flag, False))
        node = node[int(part)] if isinstance(node, list) else node.get(part)
    return flagged


def route_configs_without_validation(nodes: list) -> list[str]:
    """Paths of route tables that set validate_clusters: false."""
    return [
        "/".join(str(p) for p in path)
        for path, v, _ in nodes
        if path and path[-1] == "route_config" and isinstance(v, dict)
        and v.get("validate_clusters") is False
    ]


def defined_clusters(clusters: list) -> dict[str, dict]:
    return {c["name"]: c for c in clusters if isinstance(c, dict) and "name" in c}


def cluster_endpoints(cluster: dict) -> list[tuple[str, Any]]:
    out = []
    for _, v, _ in walk(cluster.get("load_assignment", {})):
        if isinstance(v, dict) and "socket_address" in v and isinstance(v["socket_address"], dict):
            sa = v["socket_address"]
            out.append((str(sa.get("address")), sa.get("port_value")))
    return out


def cluster_sni(cluster: dict) -> str | None:
    ts = cluster.get("transport_socket")
    if not isinstance(ts, dict):
        return None
    tc = ts.get("typed_config") or {}
    return tc.get("sni") if isinstance(tc, dict) else None


def split_uri(uri: str) -> tuple[str, str, int | None]:
    m = re.match(r"^([a-z]+)://([^/:?#]+)(?::(\d+))?", uri or "")
    if not m:
        return "", "", None
    return m.group(1), m.group(2), int(m.group(3)) if m.group(3) else None


def check_jwt(nodes: list, clusters: dict[str, dict], name: str) -> list[dict]:
    """Each JWT provider: its key cluster must be defined; the JWKS URI's scheme must
    match the cluster (https exactly when the cluster speaks TLS); and a TLS cluster
    (such as `idp`, built from `idp.host`) must connect to the JWKS host, with it as SNI.
    The URI's port is not checked: Envoy connects where the cluster says."""
    out = []
    for jwt in find_typed(nodes, "JwtAuthentication"):
        for pname, p in (jwt.get("providers") or {}).items():
            http_uri = ((p.get("remote_jwks") or {}).get("http_uri")) or {}
            cluster, uri = http_uri.get("cluster"), http_uri.get("uri", "")
            entry = {"config": name, "provider": pname, "issuer": p.get("issuer"),
                     "cluster": cluster, "jwks_uri": uri, "problem": None}
            c = clusters.get(cluster)
            scheme, host, _ = split_uri(uri)
            if c is None:
                entry["problem"] = f"its key cluster {cluster} is not defined"
            else:
                tls = cluster_sni(c) is not None or c.get("transport_socket") is not None
                hosts = sorted({a for a, _ in cluster_endpoints(c)})
                sni = cluster_sni(c)
                if tls and scheme != "https":
                    entry["problem"] = f"JWKS URI {uri} is not https, but cluster {cluster} speaks TLS"
                elif not tls and scheme == "https":
                    entry["problem"] = f"JWKS URI {uri} is https, but cluster {cluster} speaks plain HTTP"
                elif (tls or cluster == "idp") and hosts != [host]:
                    entry["problem"] = (
                        f"JWKS host {host} is not the host of cluster {cluster} "
                        f"({', '.join(hosts) or 'none'}): set idp.host to {host}"
                    )
                elif sni is not None and sni != host:
                    entry["problem"] = f"cluster {cluster} sends SNI {sni}, the JWKS host is {host}"
            out.append(entry)
    return out


def parse_entry(text: Any) -> Any:
    if not isinstance(text, str):
        return None
    try:
        return helm.values_from_yaml(text)
    except Exception:  # not a map, or not YAML: not an Envoy configuration
        return None


def envoy_configs(objects: list[dict]) -> list[dict]:
    """The Envoy configurations in the ConfigMaps, in both layouts."""
    found = []
    for o in objects:
        if o["kind"] != "ConfigMap":
            continue
        data = o["object"].get("data") or {}
        parsed = {k: parse_entry(v) for k, v in data.items() if k.endswith((".yaml", ".yml", ".json"))}
        if "lds.yaml" in data or "cds.yaml" in data:
            problems = []
            for k in ("bootstrap.yaml", "lds.yaml", "cds.yaml"):
                if k not in data:
                    problems.append(f"{label(o)} has no {k}")
                elif parsed.get(k) is None:
                    problems.append(f"{label(o)}: {k} is not a YAML map")
            boot = parsed.get("bootstrap.yaml") or {}
            lds = (parsed.get("lds.yaml") or {}).get("resources") or []
            cds = (parsed.get("cds.yaml") or {}).get("resources") or []
            static_clusters = ((boot.get(STATIC_KEY) or {}).get("clusters")) or []
            found.append({
                "object": label(o), "layout": "files", "entries": sorted(data),
                "listeners": lds, "clusters": list(cds) + list(static_clusters),
                "extra": [boot.get(STATIC_KEY) or {}], "problems": problems,
                "files": _file_references(parsed, data),
            })
            continue
        for k, cfg in parsed.items():
            if isinstance(cfg, dict) and STATIC_KEY in cfg:
                sr = cfg[STATIC_KEY] or {}
                found.append({
                    "object": label(o), "layout": "static", "entries": [k],
                    "listeners": sr.get("listeners") or [], "clusters": sr.get("clusters") or [],
                    "extra": [], "problems": [], "files": [],
                })
    return found


def _file_references(parsed: dict, data: dict) -> list[dict]:
    """Files the discovery configuration names in the ConfigMap's mount directory."""
    boot = parsed.get("bootstrap.yaml") or {}
    dirs = set()
    for path, v, _ in walk(boot):
        if path and path[-1] == "path" and "path_config_source" in path and isinstance(v, str):
            dirs.add(posixpath.dirname(v))
    refs = []
    for entry, cfg in parsed.items():
        for path, v, _ in walk(cfg):
            if path[-2:] == ("path_config_source", "path") and isinstance(v, str):
                if posixpath.dirname(v) in dirs:
                    refs.append({"from": entry, "file": posixpath.basename(v),
                                 "present": posixpath.basename(v) in data})
    return refs


def check_envoy(objects: list[dict]) -> tuple[dict, list[dict], list[str]]:
    configs, jwt, problems = [], [], []
    for c in envoy_configs(objects):
        problems.extend(c["problems"])
        defined = defined_clusters(c["clusters"])
        name = c["object"] + ":" + "+".join(c["entries"]) if c["layout"] == "static" else c["object"]
        tree = {"listeners": c["listeners"], "clusters": c["clusters"], "extra": c["extra"]}
        nodes = list(walk(tree))
        refs = cluster_references(tree, nodes)
        lenient = route_configs_without_validation(nodes)
        for r in refs:
            r["defined"] = r["cluster"] in defined
            if r["kind"] == "route" and any(r["at"].startswith(p) for p in lenient):
                r["effect"] = "fails"
            if not r["defined"] and r["effect"] != "tolerated":
                what = {
                    "refused": "Envoy refuses the configuration (a static route table names it)",
                    "fails": "every request that needs it fails",
                }[r["effect"]]
                problems.append(f"{name}: undefined cluster {r['cluster']} ({r['kind']} at {r['at']}): {what}")
        for f in c["files"]:
            if not f["present"]:
                problems.append(f"{name}: {f['from']} names {f['file']}, which the ConfigMap lacks")
        providers = check_jwt(nodes, defined, name)
        for p in providers:
            if p["problem"]:
                problems.append(f"{name}: JWT provider {p['provider']} ({p['issuer']}): {p['problem']}")
        jwt.extend(providers)
        configs.append({
            "object": c["object"], "entries": c["entries"], "layout": c["layout"],
            "clusters": sorted(defined), "references": refs, "files": c["files"],
        })
    summary = {
        "configs": configs,
        "references": sum(len(c["references"]) for c in configs),
        "undefined": [dict(r, config=c["object"]) for c in configs for r in c["references"]
                      if not r["defined"] and r["effect"] != "tolerated"],
        "tolerated": [dict(r, config=c["object"]) for c in configs for r in c["references"]
                      if not r["defined"] and r["effect"] == "tolerated"],
    }
    return summary, jwt, problems


# --------------------------------------------------------------------------
# Placeholders and duplicates


def placeholders(objects: list[dict]) -> list[dict]:
    out = []
    for o in objects:
        for path, v, _ in walk(o["object"]):
            if isinstance(v, str):
                for m in PLACEHOLDER.finditer(v):
                    out.append({"object": label(o), "path": ".".join(str(p) for p in path),
                                "text": m.group(0)})
    return out


def duplicates(objects: list[dict]) -> list[str]:
    seen, out = set(), []
    for o in objects:
        key = (o["apiVersion"], o["kind"], o["namespace"], o["name"])
        if key in seen:
            out.append(label(o))
        seen.add(key)
    return out


# --------------------------------------------------------------------------


def run_job(job: dict, charts: dict, kube: KubeValidator, with_objects: bool) -> dict:
    result: dict = {"id": job.get("id"), "chart": None, "error": None, "object_count": 0,
                    "objects": [],
                    "checks": {}, "problems": []}
    chart_dir = job["chart_dir"]
    try:
        if chart_dir not in charts:
            charts[chart_dir] = helm.Chart.load(chart_dir)
        chart = charts[chart_dir]
        result["chart"] = chart.name
        values = job_values(job)
        if job.get("coalesced_values"):
            result["values"] = chart.merge_values(values)
        manifests = chart.render(values=values, name=job["release_name"],
                                 namespace=job["namespace"], is_install=True)
        objects = rendered_objects(manifests)
    except Exception as err:  # Helm's errors carry the template and line
        result["error"] = str(err)
        result["problems"].append(f"render error: {err}")
        return result
    result["object_count"] = len(objects)
    k8s = kube.check(objects)
    envoy, jwt, envoy_problems = check_envoy(objects)
    ph = placeholders(objects)
    dup = duplicates(objects)
    result["checks"] = {"kubernetes": k8s, "envoy": envoy, "jwt": jwt,
                        "placeholders": ph, "duplicates": dup}
    problems = result["problems"]
    problems.extend(f"{e['object']}: not valid at Kubernetes {k8s['version']}: "
                    f"{e['path'] or '(top)'}: {e['message']}" for e in k8s["errors"])
    problems.extend(f"{u['object']}: {u['reason']}" for u in k8s["unvalidated"]
                    if not u["custom_resource"])
    problems.extend(envoy_problems)
    problems.extend(f"{p['object']}: placeholder {p['text']} at {p['path']}" for p in ph)
    problems.extend(f"{d}: rendered twice" for d in dup)
    if job.get("objects", with_objects):
        result["objects"] = objects
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kube-version", default=DEFAULT_KUBE_VERSION)
    ap.add_argument("--no-objects", action="store_true",
                    help="leave the rendered objects out of the output (checks only)")
    args = ap.parse_args()
    try:
        jobs = json.load(sys.stdin)
        if not isinstance(jobs, list):
            raise ValueError("expected a JSON list of jobs")
        for j in jobs:
            for key in ("chart_dir", "release_name", "namespace"):
                if not isinstance(j.get(key), str):
                    raise ValueError(f"job {j.get('id')!r}: {key} must be text")
    except ValueError as err:
        print(f"render.py: bad input: {err}", file=sys.stderr)
        return 2
    kube = KubeValidator(args.kube_version)
    charts: dict = {}
    results = [run_job(j, charts, kube, not args.no_objects) for j in jobs]
    for c in charts.values():
        c.close()
    json.dump({"kubernetes_version": kube.version, "jobs": results}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("HELM_LOG_LEVEL", "error")
    sys.exit(main())
