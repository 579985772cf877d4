"""Validate values against a chart's values.schema.json with the real Helm SDK.

Usage: schema_check.py CHART_DIR VALUES_FILE
Loads the chart directory with Helm's own loader, reads VALUES_FILE the way
`helm -f` does, coalesces it over the chart's defaults and validates the
result against the chart's schema. Prints one JSON object:
{"ok": true} or {"ok": false, "error": "<Helm's message>"}.
"""

import json
import sys

import helm_python.chart as helm


def main() -> int:
    chart_dir, values_file = sys.argv[1], sys.argv[2]
    with open(values_file, encoding="utf-8") as f:
        values = helm.values_from_yaml(f.read())
    with helm.Chart.load(chart_dir) as chart:
        merged = chart.merge_values(values)
        try:
            chart.validate_schema(merged)
        except Exception as err:  # Helm's HelmValuesError carries the message
            print(json.dumps({"ok": False, "error": str(err)}))
            return 0
    print(json.dumps({"ok": True}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
