//! The linter over the generated bundle: core's `lint` runs on every values
//! file of the bundle together (so the rules that compare the charts run
//! too), after every regeneration. Nothing here judges values itself.

use osmo_values::DeploymentSpec;
use osmo_values::diagnostic::{Diagnostic, Severity};
use osmo_values::generate::Bundle;
use osmo_values::generate::secrets::parse_secrets;
use osmo_values::lint::{self, LintInput, LintOptions};
use osmo_values::path::Path;

/// The linter's findings on the values files of one bundle.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Findings {
    /// The values files linted, in bundle order (a finding's `file` indexes this list).
    pub files: Vec<String>,
    /// The findings, the most serious first, then by file and position (as core sorts them).
    pub list: Vec<Diagnostic>,
    /// The linter refused to run (it could not tell a file's chart).
    pub error: Option<String>,
}

impl Findings {
    /// Lints every values file of `bundle` together. The chart of each file comes from
    /// its name, and the backends and Secrets of the deployment from `spec` and the
    /// bundle's `secrets.yaml`, as `osmo-values lint` reads them beside a bundle's files.
    pub fn of(bundle: &Bundle, spec: &DeploymentSpec) -> Findings {
        let values: Vec<_> = bundle
            .files
            .iter()
            .filter(|f| lint::detect_chart(&f.name).is_some())
            .collect();
        let inputs: Vec<LintInput<'_>> = values
            .iter()
            .map(|f| LintInput {
                name: &f.name,
                source: f.contents.as_bytes(),
            })
            .collect();
        let files = values.iter().map(|f| f.name.clone()).collect();
        let options = LintOptions {
            backends: Some(spec.backends.iter().map(|b| b.name.clone()).collect()),
            secrets: bundle
                .get("secrets.yaml")
                .and_then(|f| parse_secrets(&f.contents).ok())
                .map(|found| found.names()),
            ..LintOptions::default()
        };
        match lint::lint(&inputs, &options) {
            Ok(mut list) => Findings {
                list: {
                    // The most serious first; core's order (file, position) within a severity.
                    list.sort_by_key(|d| std::cmp::Reverse(d.severity));
                    list
                },
                files,
                error: None,
            },
            Err(e) => Findings {
                files,
                list: Vec::new(),
                error: Some(e.to_string()),
            },
        }
    }

    /// The name of file number `index`.
    pub fn file_name(&self, index: usize) -> &str {
        self.files.get(index).map_or("", String::as_str)
    }

    /// Whether the linter ran on this file.
    pub fn linted(&self, name: &str) -> bool {
        self.files.iter().any(|f| f == name)
    }

    /// The findings in the file called `name`.
    pub fn in_file<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        self.list
            .iter()
            .filter(move |d| self.file_name(d.file) == name)
    }

    /// The most serious finding's severity in the file called `name`, and the number of findings.
    pub fn badge(&self, name: &str) -> Option<(Severity, usize)> {
        let worst = self.in_file(name).map(|d| d.severity).max()?;
        Some((worst, self.in_file(name).count()))
    }

    /// How many findings have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.list.iter().filter(|d| d.severity == severity).count()
    }

    /// One line: what the linter found, in words.
    pub fn summary(&self) -> String {
        if let Some(e) = &self.error {
            return format!("The linter could not run: {e}");
        }
        if self.list.is_empty() {
            return format!(
                "No findings: the linter checked the {} values files together.",
                self.files.len()
            );
        }
        let mut parts = Vec::new();
        for (severity, one) in [
            (Severity::Error, "error"),
            (Severity::Warning, "warning"),
            (Severity::Info, "note"),
        ] {
            match self.count(severity) {
                0 => {}
                1 => parts.push(format!("1 {one}")),
                n => parts.push(format!("{n} {one}s")),
            }
        }
        let mut files: Vec<usize> = self.list.iter().map(|d| d.file).collect();
        files.dedup();
        format!(
            "{} in {} of the {} values files.",
            parts.join(", "),
            files.len(),
            self.files.len()
        )
    }
}

/// Where a finding is, as `line:column` (empty when it has no position).
pub fn line_column(d: &Diagnostic) -> String {
    d.span
        .map(|s| format!("{}:{}", s.start.line, s.start.column))
        .unwrap_or_default()
}

/// The mark shown with a severity, so that it does not rest on colour alone.
pub fn mark(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "✖",
        Severity::Warning => "▲",
        Severity::Info => "ℹ",
    }
}

/// The answer a finding's line carries: the form field whose value appears in `line`
/// (the longest such value, so that a URL wins over a host inside it). Short values
/// (under four characters), numbers and booleans are not matched: they appear on too
/// many lines to say which answer a finding comes from.
///
/// ```
/// use osmo_values::path::Path;
/// use wizard_web::checks::answer_on_line;
/// let spec = serde_json::json!({
///     "domain": "osmo.example.com",
///     "authentication": {"issuer": "https://osmo.example.com/<tenant-id>/v2.0"},
///     "postgres": {"port": 5432},
/// });
/// let line = "      issuer: https://osmo.example.com/<tenant-id>/v2.0";
/// assert_eq!(answer_on_line(&spec, line), Some(Path::keys("authentication.issuer")));
/// assert_eq!(answer_on_line(&spec, "  port: 5432"), None);
/// ```
pub fn answer_on_line(spec: &serde_json::Value, line: &str) -> Option<Path> {
    fn walk<'a>(v: &'a serde_json::Value, at: Path, out: &mut Vec<(Path, &'a str)>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, child) in map {
                    walk(child, at.clone().key(k.clone()), out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, at.clone().index(i), out);
                }
            }
            serde_json::Value::String(s) if s.chars().count() >= 4 => out.push((at, s)),
            _ => {}
        }
    }
    let mut answers = Vec::new();
    walk(spec, Path::root(), &mut answers);
    answers
        .into_iter()
        .filter(|(_, value)| line.contains(value))
        .max_by_key(|(_, value)| value.len())
        .map(|(path, _)| path)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use osmo_values::generate::{UserSecrets, generate_with_secrets};
    use osmo_values::spec::{Authentication, DeploymentSpec};
    use rand::SeedableRng;

    /// A minimal OSMO 6.3.1 spec with an identity provider (the page generates 6.3.1 only;
    /// the default admin draws an information finding, OV316).
    pub(crate) fn minimal() -> DeploymentSpec {
        let (spec, _) = DeploymentSpec::parse(
            "domain: osmo.example.com\nauthentication: {provider: google, clientId: 1-a.apps.googleusercontent.com}\npostgres: {host: db}\nredis: {host: redis}\nstorage:\n  logUri: s3://osmo-logs\n  dataUri: s3://osmo-data\n  credentials: {kind: awsIrsa, roleArn: \"arn:aws:iam::123456789012:role/osmo\"}\n",
        )
        .unwrap();
        spec
    }

    fn bundle(spec: &DeploymentSpec) -> Bundle {
        assert_eq!(spec.validate(), vec![], "the spec must be valid");
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        generate_with_secrets(spec, &UserSecrets::default(), &mut rng).unwrap()
    }

    #[test]
    fn a_clean_bundle_has_no_findings_and_every_values_file_is_linted() {
        let spec = minimal();
        let b = bundle(&spec);
        let found = Findings::of(&b, &spec);
        assert_eq!(found.list, vec![]);
        assert_eq!(found.error, None);
        assert_eq!(
            found.files,
            ["osmo_values.yaml", "backend_operator_values.yaml"]
        );
        assert!(!found.linted("install.sh"));
        assert_eq!(found.badge("osmo_values.yaml"), None);
        assert_eq!(
            found.summary(),
            "No findings: the linter checked the 2 values files together."
        );
    }

    /// The default admin's Secret is created by the bundle's `secrets.yaml`, so the page
    /// does not remind of it (as `osmo-values lint` beside the bundle does not); the same
    /// files linted without the bundle's Secrets keep the reminder.
    #[test]
    fn the_bundles_own_secrets_count_as_created() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/6.3.1/default-admin-nginx.yaml"
        ))
        .unwrap();
        let (spec, _) = DeploymentSpec::parse(&text).unwrap();
        let mut b = bundle(&spec);
        assert_eq!(Findings::of(&b, &spec).list, vec![]);
        b.files.retain(|f| f.name != "secrets.yaml");
        let codes: Vec<&str> = Findings::of(&b, &spec)
            .list
            .iter()
            .map(|d| d.code)
            .collect();
        assert_eq!(codes, ["OV316"]);
    }

    #[test]
    fn a_placeholder_in_the_issuer_is_found_in_every_chart_that_carries_it() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/6.3.1/oidc-nginx-database.yaml"
        ))
        .unwrap();
        let (mut spec, _) = DeploymentSpec::parse(&text).unwrap();
        let Authentication::Oidc(oidc) = &mut spec.authentication else {
            panic!("the example is not OIDC");
        };
        oidc.issuer = format!("{}/<tenant-id>/v2.0", oidc.issuer);
        let b = bundle(&spec);
        let found = Findings::of(&b, &spec);
        assert!(!found.list.is_empty());
        for d in &found.list {
            assert_eq!(d.code, "OV307", "{d:?}");
            assert!(d.message.contains("`<tenant-id>`"), "{}", d.message);
        }
        let (severity, n) = found.badge("osmo_values.yaml").unwrap();
        assert_eq!(severity, Severity::Error);
        assert_eq!(n, found.in_file("osmo_values.yaml").count());
        // The position is where the issuer is in the generated text.
        let d = found.in_file("osmo_values.yaml").next().unwrap();
        let (line, column) = line_column(d)
            .split_once(':')
            .map(|(l, c)| (l.parse::<usize>().unwrap(), c.parse::<usize>().unwrap()))
            .unwrap();
        let source = &b.get("osmo_values.yaml").unwrap().contents;
        let at = source.lines().nth(line - 1).unwrap();
        assert!(at[column - 1..].contains("<tenant-id>"), "{at}");
        assert_eq!(found.badge("backend_operator_values.yaml"), None);
        assert!(found.summary().ends_with(" in 1 of the 2 values files."));
    }

    #[test]
    fn the_charts_are_linted_together() {
        let spec = minimal();
        let mut b = bundle(&spec);
        // The spec refuses a service URL on another host; an edited file has one.
        let operator = b
            .files
            .iter_mut()
            .find(|f| f.name == "backend_operator_values.yaml")
            .unwrap();
        operator.contents = operator.contents.replace(
            "https://osmo.example.com",
            "https://osmo-internal.example.com",
        );
        let found = Findings::of(&b, &spec);
        let codes: Vec<(&str, &str)> = found
            .list
            .iter()
            .map(|d| (found.file_name(d.file), d.code))
            .collect();
        assert_eq!(codes, [("backend_operator_values.yaml", "OV505")]);
        let d = &found.list[0];
        assert_eq!(found.file_name(d.related[0].file), "osmo_values.yaml");
        assert_eq!(found.summary(), "1 error in 1 of the 2 values files.");
    }
}
