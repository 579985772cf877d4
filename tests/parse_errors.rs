//! `Chart::parse` reports bad values at the line and column of the key or
//! value at fault.

use std::path::PathBuf;

use osmo_values::{Chart, ChartName};

fn fixture(chart: ChartName, case: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/values")
        .join(chart.as_str())
        .join(format!("{case}.yaml"));
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn good_fixtures_parse() {
    for chart in Chart::all(osmo_values::Release::V6_2_10) {
        if let Err(e) = chart.parse(&fixture(chart.name, "good")) {
            panic!("{}: {e}", chart.name);
        }
    }
}

#[test]
fn errors_carry_line_and_column() {
    let cases = [
        (ChartName::Service, "bad-typo", 3, 5, "hostnme"),
        (ChartName::Service, "bad-type", 2, 17, "osmoImageTag"),
        (ChartName::Router, "bad-typo", 2, 3, "servce"),
        (ChartName::Router, "bad-type", 4, 20, "minReplicas"),
        (ChartName::WebUi, "bad-typo", 3, 5, "hostName"),
        (ChartName::BackendOperator, "bad-typo", 2, 3, "serviceURL"),
    ];
    for (name, case, line, column, mentions) in cases {
        let err = Chart::new(osmo_values::Release::V6_2_10, name)
            .unwrap()
            .parse(&fixture(name, case))
            .unwrap_err();
        assert_eq!(
            (err.line, err.column),
            (line, column),
            "{name} {case}: {err}"
        );
        assert!(err.to_string().contains(mentions), "{name} {case}: {err}");
    }
}

#[test]
fn syntax_errors_carry_line_and_column() {
    let err = Chart::new(osmo_values::Release::V6_2_10, ChartName::Router)
        .unwrap()
        .parse("global:\n  osmoImageTag: \"6.2\n")
        .unwrap_err();
    assert_eq!(err.line, 2, "{err}");
    let err = Chart::new(osmo_values::Release::V6_2_10, ChartName::Router)
        .unwrap()
        .parse("- a list\n")
        .unwrap_err();
    assert_eq!((err.line, err.column), (1, 1), "{err}");
}
