//! The key trees the linter reads (`core/src/lint/keys/<release>/`) are the charts' schemas'.

use osmo_values::Chart;
use osmo_values::lint::suggest::Shape;
use std::path::PathBuf;

/// Regenerate with `OSMO_VALUES_UPDATE_SCHEMAS=1 cargo test -p osmo-values --test shapes`.
#[test]
fn committed_key_trees_are_fresh() {
    let update = std::env::var_os("OSMO_VALUES_UPDATE_SCHEMAS").is_some();
    for chart in Chart::every() {
        let fresh = Shape::from_schema(&chart.schema());
        let text = fresh.encode();
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("src/lint/keys")
            .join(chart.release.as_str())
            .join(format!("{}.keys", chart.name));
        if update {
            std::fs::write(&path, &text).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "{} is stale: regenerate with OSMO_VALUES_UPDATE_SCHEMAS=1 cargo test -p osmo-values --test shapes",
            path.display()
        );
        if !update {
            assert!(
                Shape::of_chart(chart) == fresh,
                "{chart}: the embedded tree reads back differently"
            );
        }
    }
}
