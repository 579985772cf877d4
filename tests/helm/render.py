"""Render a chart with the real Helm engine (helm-python-sdk, offline).

Usage: render.py CHART_DIR VALUES_FILE RELEASE NAMESPACE
Reads VALUES_FILE the way `helm -f` does, renders the chart as
`helm template RELEASE CHART_DIR -n NAMESPACE -f VALUES_FILE` would, and
prints one JSON object: {"ok": true, "manifests": {template path: text}} or
{"ok": false, "error": "<Helm's message>"}.
"""

import json
import sys

import helm_python.chart as helm


def main() -> int:
    chart_dir, values_file, release, namespace = sys.argv[1:5]
    with open(values_file, encoding="utf-8") as f:
        values = helm.values_from_yaml(f.read())
    with helm.Chart.load(chart_dir) as chart:
        try:
            manifests = chart.render(values=values, name=release, namespace=namespace,
                                     is_install=True)
        except Exception as err:  # HelmValuesError / HelmRenderError carry Helm's message
            print(json.dumps({"ok": False, "error": str(err)}))
            return 0
    print(json.dumps({"ok": True, "manifests": manifests}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
