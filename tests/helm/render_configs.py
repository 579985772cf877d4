"""Render the service chart with the real Helm SDK and print what ConfigMap
mode gives the service: the `config.yaml` of the configs ConfigMap, read with
PyYAML's safe_load exactly as the service reads it, and the Secret volumes of
the API Deployment.

Usage: render_configs.py CHART_DIR VALUES_FILE
Prints one JSON object: {"config": <document or null>, "secret_volumes": [...]},
{"error": "<Helm's message>"}, or {"unreadable": "<PyYAML's message>"}.
"""

import json
import sys

import helm_python.chart as helm
import yaml


def main() -> int:
    chart_dir, values_file = sys.argv[1], sys.argv[2]
    with open(values_file, encoding="utf-8") as f:
        values = helm.values_from_yaml(f.read())
    with helm.Chart.load(chart_dir) as chart:
        try:
            files = chart.render(values=values, name="osmo", namespace="osmo")
        except Exception as err:  # Helm's template error
            print(json.dumps({"error": str(err)}))
            return 0
    config = None
    secret_volumes = []
    for text in files.values():
        for doc in yaml.safe_load_all(text):
            if not isinstance(doc, dict):
                continue
            if doc.get("kind") == "ConfigMap" and "config.yaml" in doc.get("data", {}):
                try:
                    config = yaml.safe_load(doc["data"]["config.yaml"])
                except Exception as err:  # YAML errors, or an impossible date
                    print(json.dumps({"unreadable": str(err)}))
                    return 0
            if doc.get("kind") == "Deployment" and doc["metadata"]["name"] == "osmo-service":
                for volume in doc["spec"]["template"]["spec"].get("volumes") or []:
                    if volume["name"].startswith("secret-"):
                        secret_volumes.append(volume["secret"]["secretName"])
    print(json.dumps({"config": config, "secret_volumes": secret_volumes}, default=repr))
    return 0


if __name__ == "__main__":
    sys.exit(main())
