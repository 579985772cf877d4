//! The text formats OSMO checks in its ConfigMap configuration: storage
//! URIs, CLI versions, role actions, backend-test fields, durations and
//! the names of mounted Secrets.
//!
//! Each check is a small hand-written matcher (core carries no regex
//! engine); [`Check::pattern`] gives the equivalent regular expression for
//! external JSON-Schema validators, and a test holds the two together.

/// A format the service refuses to load or use when it is not met.
///
/// ```
/// use osmo_values::configs::formats::Check;
/// assert!(Check::StorageEndpoint.check("s3://bucket/logs").is_ok());
/// assert!(Check::StorageEndpoint.check("https://s3.amazonaws.com/bucket").is_err());
/// assert!(Check::Action.check("workflow:Create").is_ok());
/// assert!(Check::Action.check("Workflow:create").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Check {
    /// A storage credential's `endpoint`: `s3://`, `gs://`, `azure://` with a
    /// bucket or account, `swift://` and `tos://` with two path parts.
    StorageEndpoint,
    /// A bucket's `dataset_path`: like an endpoint, but `swift://` needs three
    /// path parts and `tos://`, `azure://` two.
    DatasetPath,
    /// `cli_config.latest_version` / `min_supported_version`:
    /// `major.minor.revision`, optionally `.build`; empty means unset.
    CliVersion,
    /// A role action: `resource:Action` with a lowercase resource or `*` and
    /// an action starting with a capital letter, or `*`.
    Action,
    /// A backend test name: a lowercase RFC 1123 subdomain.
    Rfc1123Subdomain,
    /// A backend test's cron schedule: five fields of `0-9 * - , / ? L W #`.
    CronSchedule,
    /// A backend test's timeout: `300s`, `5m`, `1h30m`, from 30 s to 24 h.
    TestTimeout,
    /// A Kubernetes node condition type, optionally `domain/Name`.
    NodeCondition,
}

impl Check {
    /// Every check.
    pub const ALL: [Check; 8] = [
        Check::StorageEndpoint,
        Check::DatasetPath,
        Check::CliVersion,
        Check::Action,
        Check::Rfc1123Subdomain,
        Check::CronSchedule,
        Check::TestTimeout,
        Check::NodeCondition,
    ];

    /// The name used in the models' JSON Schema (`x-osmo-check`).
    pub fn name(self) -> &'static str {
        match self {
            Check::StorageEndpoint => "storage-endpoint",
            Check::DatasetPath => "dataset-path",
            Check::CliVersion => "cli-version",
            Check::Action => "role-action",
            Check::Rfc1123Subdomain => "rfc1123-subdomain",
            Check::CronSchedule => "cron-schedule",
            Check::TestTimeout => "test-timeout",
            Check::NodeCondition => "node-condition",
        }
    }

    /// The check with this [`name`](Check::name).
    pub fn from_name(name: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.name() == name)
    }

    /// A regular expression with the same meaning, for validators that
    /// understand `pattern` (none for the checks that count or compare).
    pub fn pattern(self) -> Option<&'static str> {
        match self {
            Check::StorageEndpoint => Some(
                "^(s3|gs|azure)://[^/,;*]+(/[^/,;*]+)*/*$|^(swift|tos)://[^/,;*]+(/[^/,;*]+)+/*$",
            ),
            Check::DatasetPath => Some(
                "^(s3|gs)://[^/,;*]+(/[^/,;*]+)*/*$|^(tos|azure)://[^/,;*]+(/[^/,;*]+)+/*$|^swift://[^/,;*]+(/[^/,;*]+){2,}/*$",
            ),
            Check::CliVersion => Some("^$|^[0-9]+\\.[0-9]+\\.[0-9]+(\\.[a-zA-Z0-9]+)?\\n?$"),
            Check::Action => Some("^(\\*|[a-z]+):(\\*|[A-Z][a-zA-Z]*)\\n?$"),
            Check::Rfc1123Subdomain => {
                Some("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\n?$")
            }
            Check::CronSchedule | Check::TestTimeout | Check::NodeCondition => None,
        }
    }

    /// The fewest characters the service's model asks for before its own
    /// check runs (backend test names and schedules must not be empty).
    pub fn min_length(self) -> Option<u64> {
        matches!(self, Check::Rfc1123Subdomain | Check::CronSchedule).then_some(1)
    }

    /// Checks `text`; the error says what is wrong, in the operator's words.
    pub fn check(self, text: &str) -> Result<(), String> {
        match self {
            Check::StorageEndpoint => storage_uri(text, Uses::Endpoint),
            Check::DatasetPath => storage_uri(text, Uses::DatasetPath),
            Check::CliVersion => cli_version(text),
            Check::Action => action(text),
            Check::Rfc1123Subdomain => {
                if rfc1123_subdomain(strip_final_newline(text)) {
                    Ok(())
                } else {
                    Err(
                        "must be lowercase letters, digits, `-` and `.`, starting and ending \
                         with a letter or digit (it names a Kubernetes CronJob)"
                            .into(),
                    )
                }
            }
            Check::CronSchedule => cron(text),
            Check::TestTimeout => test_timeout(text),
            Check::NodeCondition => node_condition(text),
        }
    }
}

/// Python's `re.match(r'...$')` also matches just before one final newline.
fn strip_final_newline(text: &str) -> &str {
    text.strip_suffix('\n').unwrap_or(text)
}

/// The storage schemes OSMO knows, in its order.
pub const STORAGE_SCHEMES: [&str; 5] = ["swift", "s3", "gs", "tos", "azure"];

#[derive(Clone, Copy)]
enum Uses {
    Endpoint,
    DatasetPath,
}

/// Fewest path parts after `scheme://` (bucket, account, container...).
fn min_parts(scheme: &str, uses: Uses) -> usize {
    match (scheme, uses) {
        ("s3" | "gs", _) | ("azure", Uses::Endpoint) => 1,
        ("swift" | "tos", Uses::Endpoint) | ("tos" | "azure", Uses::DatasetPath) => 2,
        _ => 3,
    }
}

fn storage_uri(text: &str, uses: Uses) -> Result<(), String> {
    let schemes = "s3://, gs://, azure://, swift:// or tos://";
    let Some((scheme, rest)) = text.split_once("://") else {
        return Err(format!(
            "is not a storage URI: use {schemes} followed by the bucket"
        ));
    };
    if !STORAGE_SCHEMES.contains(&scheme) {
        if scheme == "http" || scheme == "https" {
            return Err(format!(
                "is an HTTP URL; the storage URI goes here ({schemes} followed by the bucket) \
                 and an S3-compatible service's URL goes in `override_url`"
            ));
        }
        return Err(format!("uses the scheme `{scheme}://`; use {schemes}"));
    }
    let trimmed = rest.trim_end_matches('/');
    let parts: Vec<&str> = if trimmed.is_empty() {
        Vec::new()
    } else {
        trimmed.split('/').collect()
    };
    if parts
        .iter()
        .any(|p| p.is_empty() || p.contains([',', ';', '*']))
    {
        return Err("has an empty path part (`//`) or one of `,`, `;`, `*` in it".into());
    }
    let need = min_parts(scheme, uses);
    if parts.len() < need {
        let what = match need {
            1 => "a bucket or account name".to_owned(),
            n => format!("at least {n} path parts"),
        };
        return Err(format!("needs {what} after `{scheme}://`"));
    }
    Ok(())
}

fn ascii_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn cli_version(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Ok(());
    }
    let t = strip_final_newline(text);
    let parts: Vec<&str> = t.split('.').collect();
    let ok = (parts.len() == 3 || parts.len() == 4)
        && parts[..3].iter().all(|p| ascii_digits(p))
        && parts
            .get(3)
            .is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if ok {
        Ok(())
    } else {
        Err("must be a version major.minor.revision, such as 6.3.1".into())
    }
}

fn action(text: &str) -> Result<(), String> {
    let t = strip_final_newline(text);
    let ok = t.split_once(':').is_some_and(|(res, act)| {
        let res_ok = res == "*" || (!res.is_empty() && res.bytes().all(|b| b.is_ascii_lowercase()));
        let act_ok = act == "*"
            || act.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
                && act.bytes().all(|b| b.is_ascii_alphabetic());
        res_ok && act_ok
    });
    if ok {
        Ok(())
    } else {
        Err(
            "must be `resource:Action`: a lowercase resource or `*`, a colon, and an action \
             starting with a capital letter or `*` (`workflow:Create`, `pool:List`, `*:*`)"
                .into(),
        )
    }
}

/// A DNS label: lowercase letters, digits and `-`, starting and ending with
/// a letter or digit (the length is not checked here).
pub fn dns_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// A DNS subdomain: DNS labels joined by `.` (the length is not checked).
pub fn rfc1123_subdomain(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(dns_label)
}

fn cron(text: &str) -> Result<(), String> {
    let fields: Vec<&str> = text.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "must have five fields (minute hour day month weekday), not {}",
            fields.len()
        ));
    }
    let names = ["minute", "hour", "day", "month", "weekday"];
    let ranges = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)];
    for ((field, name), (lo, hi)) in fields.iter().zip(names).zip(ranges) {
        if !field
            .chars()
            .all(|c| c.is_ascii_digit() || "*-,/?LW#".contains(c))
        {
            return Err(format!(
                "has characters other than 0-9 * - , / ? L W # in the {name} field"
            ));
        }
        if ascii_digits(field) {
            let n: u64 = field.parse().unwrap_or(u64::MAX);
            if n < lo || n > hi {
                return Err(format!("has {name} {field}, outside {lo}-{hi}"));
            }
        }
    }
    Ok(())
}

fn test_timeout(text: &str) -> Result<(), String> {
    let t = text.trim();
    let mut total: u64 = 0;
    let mut number = String::new();
    let mut groups = 0;
    for c in t.chars() {
        if c.is_ascii_digit() {
            number.push(c);
        } else if let (Some(unit), false) = (
            match c {
                's' => Some(1u64),
                'm' => Some(60),
                'h' => Some(3600),
                'd' => Some(86400),
                _ => None,
            },
            number.is_empty(),
        ) {
            let n: u64 = number.parse().unwrap_or(u64::MAX);
            total = total.saturating_add(n.saturating_mul(unit));
            number.clear();
            groups += 1;
        } else {
            return Err("must be numbers with units s, m, h or d, such as 300s or 1h30m".into());
        }
    }
    if groups == 0 || !number.is_empty() {
        return Err("must be numbers with units s, m, h or d, such as 300s or 1h30m".into());
    }
    if !(30..=86400).contains(&total) {
        return Err("must be between 30 seconds and 24 hours".into());
    }
    Ok(())
}

fn node_condition(text: &str) -> Result<(), String> {
    let c = text.trim();
    let edge_ok = |s: &str| {
        let b = s.as_bytes();
        !b.is_empty() && b[0].is_ascii_alphanumeric() && b[b.len() - 1].is_ascii_alphanumeric()
    };
    let body_ok = c
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || "-_./".contains(ch));
    if !edge_ok(c) || !body_ok {
        return Err(
            "must be letters, digits, `-`, `_`, `.` and `/`, starting and ending with \
                    a letter or digit (such as Ready or example.com/gpu-ok)"
                .into(),
        );
    }
    if c.chars().count() > 316 {
        return Err("is longer than 316 characters".into());
    }
    if let Some((domain, name)) = c.split_once('/') {
        if name.contains('/') {
            return Err("has more than one `/`".into());
        }
        if !rfc1123_subdomain(domain) {
            return Err(format!(
                "has `{domain}` before `/`, which is not a DNS subdomain"
            ));
        }
        if !edge_ok(name) || name.contains(['.', '/']) {
            return Err(format!(
                "has `{name}` after `/`: letters, digits, `-` and `_` only"
            ));
        }
    }
    Ok(())
}

/// Checks a duration as OSMO parses it when a workflow is submitted or a
/// timer is set: ISO 8601 (`PT10S`, `P7D`, `P1DT2H`) or a whole number with
/// one unit `d`, `h`, `m`, `s`, `ms` or `us` (`7d`, `30m`).
///
/// ```
/// use osmo_values::configs::formats::duration;
/// assert!(duration("7d").is_ok());
/// assert!(duration("PT1H30M").is_ok());
/// assert!(duration("1h30m").is_err());
/// assert!(duration("7").is_err());
/// ```
pub fn duration(text: &str) -> Result<(), String> {
    let bad = || {
        Err(
            "is not a duration OSMO can read: use a whole number and one unit \
             (d, h, m, s, ms or us, such as 7d or 30m) or ISO 8601 (P7D, PT1H30M)"
                .to_owned(),
        )
    };
    if let Some(rest) = text.strip_prefix('P') {
        return if iso8601_duration(strip_final_newline(rest)) {
            Ok(())
        } else {
            bad()
        };
    }
    let (number, unit) =
        if text.chars().count() >= 3 && (text.ends_with("ms") || text.ends_with("us")) {
            (&text[..text.len() - 2], "ms")
        } else {
            match text.char_indices().last() {
                Some((i, c)) => (&text[..i], if "dhms".contains(c) { "d" } else { "" }),
                None => return bad(),
            }
        };
    if unit.is_empty() || python_int(number).is_none() {
        return bad();
    }
    Ok(())
}

/// The part after `P` of `P[nD][T[nH][nM][n[.n]S]]`, with at least one number.
fn iso8601_duration(rest: &str) -> bool {
    fn take_number(s: &str, unit: char, fraction: bool) -> (bool, &str) {
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return (false, s);
        }
        let mut end = digits;
        if fraction && s[end..].starts_with('.') {
            let more = s[end + 1..].bytes().take_while(u8::is_ascii_digit).count();
            if more == 0 {
                return (false, s);
            }
            end += 1 + more;
        }
        match s[end..].strip_prefix(unit) {
            Some(after) => (true, after),
            None => (false, s),
        }
    }
    let mut any = false;
    let (got, mut s) = take_number(rest, 'D', false);
    any |= got;
    if let Some(t) = s.strip_prefix('T') {
        s = t;
        for (unit, fraction) in [('H', false), ('M', false), ('S', true)] {
            let (got, after) = take_number(s, unit, fraction);
            any |= got;
            s = after;
        }
    }
    any && s.is_empty()
}

/// Python's `int(text)`: surrounding whitespace, an optional sign, ASCII
/// digits with single `_` between them. (Python also takes the digits of
/// other scripts, such as `١`; no values file uses them, so they are refused.)
pub(crate) fn python_int(text: &str) -> Option<i128> {
    let t = text.trim();
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let digits = underscored_digits(digits)?;
    let n: i128 = digits.parse().ok()?;
    Some(if negative { -n } else { n })
}

/// ASCII digits with single `_` between them, returned without the `_`.
pub(crate) fn underscored_digits(s: &str) -> Option<String> {
    if s.is_empty() || s.starts_with('_') || s.ends_with('_') || s.contains("__") {
        return None;
    }
    let out: String = s.chars().filter(|c| *c != '_').collect();
    ascii_digits(&out).then_some(out)
}

/// A `secretRefs` name that can be mounted: the chart names the volume
/// `secret-<name>`, which Kubernetes requires to be a DNS label of at most 63
/// characters.
///
/// ```
/// use osmo_values::configs::formats::secret_volume_name;
/// assert!(secret_volume_name("osmo-workflow-data-cred").is_ok());
/// assert!(secret_volume_name("Workflow_Cred").is_err());
/// assert!(secret_volume_name("registry.example.com").is_err());
/// ```
pub fn secret_volume_name(name: &str) -> Result<(), String> {
    if !dns_label(name) {
        return Err(
            "must be lowercase letters, digits and `-`, starting and ending with a \
                    letter or digit (the chart mounts it as volume `secret-<name>`)"
                .into(),
        );
    }
    if name.len() > 56 {
        return Err(format!(
            "is {} characters long; the volume name `secret-<name>` allows at most 56",
            name.len()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_uris() {
        let ok = |c: Check, s: &str| assert!(c.check(s).is_ok(), "{s} should pass {c:?}");
        let bad = |c: Check, s: &str| assert!(c.check(s).is_err(), "{s} should fail {c:?}");
        for s in [
            "s3://b",
            "s3://b/",
            "s3://b/p/q//",
            "gs://b",
            "azure://acct",
            "swift://a/c",
            "tos://b/p",
        ] {
            ok(Check::StorageEndpoint, s);
        }
        for s in [
            "s3://",
            "s3:///b",
            "s3://b//p",
            "s3://b,c",
            "swift://a",
            "tos://b",
            "http://minio:9000",
            "S3://b",
            "b",
        ] {
            bad(Check::StorageEndpoint, s);
        }
        ok(Check::DatasetPath, "swift://a/c/o");
        bad(Check::DatasetPath, "swift://a/c");
        bad(Check::DatasetPath, "azure://acct");
        ok(Check::DatasetPath, "azure://acct/container");
    }

    #[test]
    fn versions_and_actions() {
        for s in ["", "6.3.1", "6.3.1.abc", "6.3.1\n"] {
            assert!(Check::CliVersion.check(s).is_ok(), "{s:?}");
        }
        for s in ["6.3", "v6.3.1", "6.3.1.", "6.3.1.a-b", "6.3.1 "] {
            assert!(Check::CliVersion.check(s).is_err(), "{s:?}");
        }
        for s in [
            "*:*",
            "workflow:*",
            "*:Read",
            "auth:Token",
            "internal:Logger",
        ] {
            assert!(Check::Action.check(s).is_ok(), "{s}");
        }
        for s in [
            "*",
            "workflow",
            "workflow:create",
            "Workflow:Create",
            "pool:List2",
            ":Read",
        ] {
            assert!(Check::Action.check(s).is_err(), "{s}");
        }
    }

    #[test]
    fn durations() {
        for s in [
            "7d", "30m", "1h", "10s", "500ms", "5us", " 7d", "+7d", "1_0d", "P7D", "PT1H30M",
            "PT0.5S", "P1DT",
        ] {
            assert!(duration(s).is_ok(), "{s}");
        }
        for s in [
            "", "7", "d", "7 days", "1h30m", "1.5h", "P", "PT", "P1H", "7w", "ms",
        ] {
            assert!(duration(s).is_err(), "{s}");
        }
    }

    #[test]
    fn backend_test_fields() {
        assert!(Check::CronSchedule.check("0 2 * * *").is_ok());
        assert!(Check::CronSchedule.check("0 2 * *").is_err());
        assert!(Check::CronSchedule.check("0 24 * * *").is_err());
        assert!(Check::TestTimeout.check("300s").is_ok());
        assert!(Check::TestTimeout.check("1h30m").is_ok());
        assert!(Check::TestTimeout.check("10s").is_err());
        assert!(Check::TestTimeout.check("2d").is_err());
        assert!(Check::TestTimeout.check("5").is_err());
        assert!(Check::NodeCondition.check("Ready").is_ok());
        assert!(Check::NodeCondition.check("example.com/gpu-ok").is_ok());
        assert!(Check::NodeCondition.check("Example.com/gpu").is_err());
        assert!(Check::NodeCondition.check("-Ready").is_err());
        assert!(Check::Rfc1123Subdomain.check("gpu-test.a").is_ok());
        assert!(Check::Rfc1123Subdomain.check("GPU").is_err());
    }

    #[test]
    fn names_round_trip() {
        for c in Check::ALL {
            assert_eq!(Check::from_name(c.name()), Some(c));
        }
    }
}
