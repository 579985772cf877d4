//! The validation schemas the linter reads (`core/src/lint/schemas/<release>/`)
//! are the ones the models generate ([`osmo_values::lint::validation_schema`]).

use osmo_values::Chart;
use std::path::PathBuf;

/// Regenerate with `cargo xtask codegen`.
#[test]
fn committed_validation_schemas_are_fresh() {
    for chart in Chart::every() {
        let text = serde_json::to_string_pretty(&osmo_values::lint::validation_schema(chart))
            .unwrap()
            + "\n";
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("src/lint/schemas")
            .join(chart.release.as_str())
            .join(format!("{}.json", chart.name));
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "{} is stale: regenerate with `cargo xtask codegen`",
            path.display()
        );
    }
}
