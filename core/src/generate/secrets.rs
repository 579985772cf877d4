//! Reading back a `secrets.yaml` this crate generated, so that generating again into the
//! same folder keeps the passwords and keys it holds.
//!
//! The file is a stream of YAML documents: Kubernetes `Namespace`s and `Secret`s. Every
//! `Secret` contributes its `stringData` values and its base64-decoded `data` values
//! (`stringData` wins when a key is in both, as in Kubernetes), by secret name and key.
//! Other kinds of documents are skipped. Anything this module cannot read with certainty is
//! an error placed at a line and column: a value that is not a string, `data` that is not
//! base64 of UTF-8 text, a secret or key written twice, a document without `kind`.
//!
//! ```
//! use osmo_values::generate::secrets::parse_secrets;
//! let text = "\
//! apiVersion: v1
//! kind: Namespace
//! metadata:
//!   name: osmo
//! ---
//! apiVersion: v1
//! kind: Secret
//! metadata:
//!   name: db-secret
//! stringData:
//!   db-password: \"s3cret\"
//! data:
//!   other: aGVsbG8=
//! ";
//! let secrets = parse_secrets(text).unwrap();
//! assert_eq!(secrets.get("db-secret", "db-password"), Some("s3cret"));
//! assert_eq!(secrets.get("db-secret", "other"), Some("hello"));
//! assert_eq!(secrets.len(), 2);
//!
//! let err = parse_secrets("kind: Secret\nmetadata:\n  name: x\nstringData:\n  a: [1]\n").unwrap_err();
//! assert_eq!((err.line, err.column), (5, 6));
//! ```

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::path::Path;
use crate::yaml::{self, Node, NodeValue, ScalarStyle};

/// Secret values read from a `secrets.yaml`: by secret name, then key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExistingSecrets {
    secrets: BTreeMap<String, BTreeMap<String, String>>,
}

impl ExistingSecrets {
    /// No secrets.
    pub fn new() -> ExistingSecrets {
        ExistingSecrets::default()
    }

    /// Sets the value of `key` in secret `name`, replacing any earlier value.
    ///
    /// ```
    /// let mut s = osmo_values::generate::secrets::ExistingSecrets::new();
    /// s.insert("db-secret", "db-password", "pw");
    /// assert_eq!(s.get("db-secret", "db-password"), Some("pw"));
    /// assert_eq!(s.get("db-secret", "other"), None);
    /// ```
    pub fn insert(&mut self, name: &str, key: &str, value: &str) {
        self.secrets
            .entry(name.to_owned())
            .or_default()
            .insert(key.to_owned(), value.to_owned());
    }

    /// The value of `key` in secret `name`.
    pub fn get(&self, name: &str, key: &str) -> Option<&str> {
        self.secrets.get(name)?.get(key).map(String::as_str)
    }

    /// Every value as (secret name, key, value), sorted by name then key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.secrets.iter().flat_map(|(name, keys)| {
            keys.iter()
                .map(move |(k, v)| (name.as_str(), k.as_str(), v.as_str()))
        })
    }

    /// The names of the secrets, sorted.
    ///
    /// ```
    /// let mut s = osmo_values::generate::secrets::ExistingSecrets::new();
    /// s.insert("redis-secret", "redis-password", "a");
    /// s.insert("db-secret", "db-password", "b");
    /// s.insert("db-secret", "other", "c");
    /// assert_eq!(s.names(), ["db-secret", "redis-secret"]);
    /// ```
    pub fn names(&self) -> Vec<String> {
        self.secrets.keys().cloned().collect()
    }

    /// How many values there are (over all secrets).
    pub fn len(&self) -> usize {
        self.secrets.values().map(BTreeMap::len).sum()
    }

    /// Whether there is no value at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Why a `secrets.yaml` could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct SecretsError {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl SecretsError {
    fn at(pos: yaml::Pos, message: impl Into<String>) -> SecretsError {
        SecretsError {
            line: pos.line,
            column: pos.column,
            message: message.into(),
        }
    }
}

/// Reads the secret values of a `secrets.yaml` (multi-document YAML of Kubernetes objects);
/// see the [module documentation](self).
pub fn parse_secrets(text: &str) -> Result<ExistingSecrets, SecretsError> {
    if text.len() > yaml::MAX_INPUT_BYTES {
        return Err(SecretsError {
            line: 1,
            column: 1,
            message: format!(
                "the file is longer than {} MiB; it is not a secrets.yaml",
                yaml::MAX_INPUT_BYTES >> 20
            ),
        });
    }
    let mut out = ExistingSecrets::new();
    // Where each secret was first named: (line) for the duplicate message.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (first_line, chunk) in documents(text) {
        let shift = |mut pos: yaml::Pos| {
            pos.line += first_line - 1;
            pos
        };
        let doc = yaml::parse(chunk).map_err(|e| SecretsError::at(shift(e.pos), e.message))?;
        let root = &doc.root;
        let NodeValue::Map(entries) = &root.value else {
            return Err(SecretsError::at(
                shift(root.span.start),
                "expected a Kubernetes object (a map)",
            ));
        };
        if entries.is_empty() {
            continue;
        }
        let kind = root.at(&Path::keys("kind"));
        let kind = match kind.map(|k| &k.value) {
            Some(NodeValue::String(kind)) => kind.as_str(),
            Some(_) => {
                let node = kind.unwrap_or(root);
                return Err(SecretsError::at(
                    shift(node.span.start),
                    "`kind` must be a string such as Secret",
                ));
            }
            None => {
                return Err(SecretsError::at(
                    shift(root.span.start),
                    "this document has no `kind`; a secrets.yaml holds Kubernetes objects",
                ));
            }
        };
        if kind != "Secret" {
            continue;
        }
        if let Some(dup) = doc.duplicates.first() {
            return Err(SecretsError::at(
                shift(dup.second.start),
                format!(
                    "`{}` is written twice in this Secret (first on line {}); keep one",
                    dup.key,
                    shift(dup.first.start).line
                ),
            ));
        }
        let name_node = root.at(&Path::keys("metadata.name"));
        let name = match name_node.map(|n| &n.value) {
            Some(NodeValue::String(name)) if !name.is_empty() => name.clone(),
            _ => {
                let node = name_node
                    .or_else(|| root.at(&Path::keys("metadata")))
                    .unwrap_or(root);
                return Err(SecretsError::at(
                    shift(node.span.start),
                    "this Secret has no `metadata.name`",
                ));
            }
        };
        let name_line = shift(name_node.map_or(root.span, |n| n.span).start).line;
        if let Some(first) = seen.insert(name.clone(), name_line) {
            let node = name_node.unwrap_or(root);
            return Err(SecretsError::at(
                shift(node.span.start),
                format!("the Secret `{name}` is defined twice (first on line {first}); keep one"),
            ));
        }
        let mut values: BTreeMap<String, String> = BTreeMap::new();
        if let Some(data) = root.at(&Path::keys("data")) {
            for (key, value) in map_entries(data, "data", &shift)? {
                let encoded = string_value(value, &name, &key, &shift)?;
                let compact: String = encoded.chars().filter(|c| !c.is_whitespace()).collect();
                let bytes = STANDARD.decode(compact.as_bytes()).map_err(|_| {
                    SecretsError::at(
                        shift(value.span.start),
                        format!("`data.{key}` of Secret `{name}` is not base64"),
                    )
                })?;
                let decoded = String::from_utf8(bytes).map_err(|_| {
                    SecretsError::at(
                        shift(value.span.start),
                        format!(
                            "`data.{key}` of Secret `{name}` is not UTF-8 text once decoded; \
                             osmo-values only keeps text secrets"
                        ),
                    )
                })?;
                values.insert(key, decoded);
            }
        }
        if let Some(string_data) = root.at(&Path::keys("stringData")) {
            for (key, value) in map_entries(string_data, "stringData", &shift)? {
                let text = string_value(value, &name, &key, &shift)?;
                values.insert(key, text);
            }
        }
        for (key, value) in &values {
            out.insert(&name, key, value);
        }
        if values.is_empty() {
            out.secrets.entry(name).or_default();
        }
    }
    Ok(out)
}

/// The entries of a `data` or `stringData` map (`null` is no entry).
fn map_entries<'n>(
    node: &'n Node,
    what: &str,
    shift: &dyn Fn(yaml::Pos) -> yaml::Pos,
) -> Result<Vec<(String, &'n Node)>, SecretsError> {
    match &node.value {
        NodeValue::Null => Ok(Vec::new()),
        NodeValue::Map(entries) => entries
            .iter()
            .map(|e| match e.key.key_text() {
                Some(k) => Ok((k, &e.value)),
                None => Err(SecretsError::at(
                    shift(e.key.span.start),
                    format!("a key of `{what}` must be a string"),
                )),
            })
            .collect(),
        _ => Err(SecretsError::at(
            shift(node.span.start),
            format!("`{what}` must be a map of keys to values"),
        )),
    }
}

/// A secret value: strings as they are; other plain scalars (`1234`, `yes`) as written,
/// which is what the operator meant. `null`, lists and maps are errors.
fn string_value(
    node: &Node,
    name: &str,
    key: &str,
    shift: &dyn Fn(yaml::Pos) -> yaml::Pos,
) -> Result<String, SecretsError> {
    let err = |message: String| SecretsError::at(shift(node.span.start), message);
    match (&node.value, &node.scalar) {
        (NodeValue::String(s), _) => Ok(s.clone()),
        (NodeValue::Null, _) => Err(err(format!(
            "`{key}` of Secret `{name}` has no value; write \"\" for an empty one"
        ))),
        (NodeValue::Bool(_) | NodeValue::Int(_) | NodeValue::Float(_), Some(info))
            if info.style == ScalarStyle::Plain =>
        {
            Ok(info.raw.trim().to_owned())
        }
        _ => Err(err(format!(
            "`{key}` of Secret `{name}` must be a string value"
        ))),
    }
}

/// Splits a YAML stream into its documents at `---` lines: (first line number, text). Each
/// piece after the first starts with its `---` line, which the single-document reader
/// accepts, so columns stay as they are and lines shift by a constant.
fn documents(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut start_line = 1;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if index > 0 && is_document_start(line) {
            out.push((start_line, &text[start..offset]));
            start = offset;
            start_line = index + 1;
        }
        offset += line.len();
    }
    out.push((start_line, &text[start..]));
    out
}

/// `---` at the start of a line, followed by nothing, a space, a tab or a line break.
fn is_document_start(line: &str) -> bool {
    line.strip_prefix("---")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\n', '\r']))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = "\
# comment
---
apiVersion: v1
kind: Namespace
metadata:
  name: \"osmo\"
---
apiVersion: v1
kind: Secret
metadata:
  name: \"db-secret\"
  namespace: osmo
type: Opaque
stringData:
  # password
  \"db-password\": \"p\\\"w\\n\"
---
kind: Secret
metadata:
  name: redis-secret
stringData:
  redis-password: \"\"
  plain: 01234
";

    #[test]
    fn reads_string_data_of_every_secret() {
        let s = parse_secrets(TWO).unwrap();
        assert_eq!(s.get("db-secret", "db-password"), Some("p\"w\n"));
        assert_eq!(s.get("redis-secret", "redis-password"), Some(""));
        assert_eq!(s.get("redis-secret", "plain"), Some("01234"));
        assert_eq!(s.get("osmo", "name"), None);
        assert_eq!(s.len(), 3);
        let all: Vec<_> = s.iter().collect();
        assert_eq!(all[0], ("db-secret", "db-password", "p\"w\n"));
    }

    #[test]
    fn data_is_decoded_and_string_data_wins() {
        let text = "kind: Secret\nmetadata:\n  name: s\ndata:\n  a: YWFh\n  b: YmJi\nstringData:\n  b: new\n";
        let s = parse_secrets(text).unwrap();
        assert_eq!(s.get("s", "a"), Some("aaa"));
        assert_eq!(s.get("s", "b"), Some("new"));
    }

    #[test]
    fn empty_and_comment_only_files_have_no_secrets() {
        for text in ["", "# nothing\n", "---\n", "---\n---\n# c\n"] {
            assert!(parse_secrets(text).unwrap().is_empty(), "{text:?}");
        }
    }

    fn err(text: &str) -> (usize, usize, String) {
        let e = parse_secrets(text).unwrap_err();
        (e.line, e.column, e.message)
    }

    #[test]
    fn errors_are_placed_in_the_whole_file() {
        // A YAML syntax error in the third document: lines count from the file's start.
        let bad = TWO.replace("  plain: 01234\n", "  plain: [\n");
        let (line, _, _) = err(&bad);
        assert_eq!(line, 24);
        let (line, column, message) = err(&TWO.replace("01234", "{a: 1}"));
        assert_eq!((line, column), (23, 10), "{message}");
        assert!(
            message.contains("`plain` of Secret `redis-secret`"),
            "{message}"
        );
        let (line, column, message) = err(&TWO.replace("redis-password: \"\"", "redis-password:"));
        assert_eq!((line, column), (22, 17), "{message}");
        assert!(message.contains("no value"), "{message}");
    }

    #[test]
    fn malformed_secrets_are_refused() {
        let cases: &[(&str, (usize, usize), &str)] = &[
            (
                "kind: Secret\nstringData:\n  a: b\n",
                (1, 1),
                "no `metadata.name`",
            ),
            (
                "kind: Secret\nmetadata:\n  name: 3\n",
                (3, 9),
                "no `metadata.name`",
            ),
            ("metadata:\n  name: x\n", (1, 1), "no `kind`"),
            ("kind: [Secret]\n", (1, 7), "`kind` must be"),
            ("- a\n- b\n", (1, 1), ""),
            (
                "kind: Secret\nmetadata:\n  name: x\nstringData: [a]\n",
                (4, 13),
                "must be a map",
            ),
            (
                "kind: Secret\nmetadata:\n  name: x\ndata:\n  a: \"%%%\"\n",
                (5, 6),
                "not base64",
            ),
            (
                "kind: Secret\nmetadata:\n  name: x\ndata:\n  a: //79\n",
                (5, 6),
                "not UTF-8",
            ),
            (
                "kind: Secret\nmetadata:\n  name: x\nstringData:\n  a: b\n  a: c\n",
                (6, 3),
                "written twice",
            ),
            (
                "kind: Secret\nmetadata:\n  name: x\n---\nkind: Secret\nmetadata:\n  name: x\n",
                (7, 9),
                "defined twice (first on line 3)",
            ),
            ("just text\n", (1, 1), ""),
            (
                "kind: Secret\nmetadata:\n  name: x\nstringData:\n  a: \"\x01\"\n",
                (5, 7),
                "",
            ),
        ];
        for (text, at, needle) in cases {
            let (line, column, message) = err(text);
            assert_eq!((line, column), *at, "{text:?}: {message}");
            assert!(message.contains(needle), "{text:?}: {message}");
        }
    }

    #[test]
    fn document_markers_split_only_at_line_starts() {
        let text = "a: \"---\"\n--- \nb: 1\n---\n c: x ---\n";
        let docs = documents(text);
        let starts: Vec<usize> = docs.iter().map(|(l, _)| *l).collect();
        assert_eq!(starts, vec![1, 2, 4]);
        assert_eq!(docs.iter().map(|(_, t)| *t).collect::<String>(), text);
        assert!(!is_document_start("----\n"));
        assert!(is_document_start("---\r\n"));
        assert!(is_document_start("--- # c\n"));
    }
}
