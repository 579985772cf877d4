//! The key trees the linter reads (`core/src/lint/keys/<release>/`) are the charts' schemas'.

use osmo_values::Chart;
use osmo_values::lint::suggest::Shape;
use std::path::PathBuf;

/// Regenerate with `cargo xtask codegen`.
#[test]
fn committed_key_trees_are_fresh() {
    for chart in Chart::every() {
        let fresh = Shape::from_schema(&chart.schema());
        let text = fresh.encode();
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("src/lint/keys")
            .join(chart.release.as_str())
            .join(format!("{}.keys", chart.name));
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "{} is stale: run `cargo xtask codegen`",
            path.display()
        );
        assert!(
            text.lines().count() > 300,
            "{chart}: {} nodes",
            text.lines().count()
        );
        assert!(
            Shape::of_chart(chart) == fresh,
            "{chart}: the embedded tree reads back differently"
        );
    }
}
