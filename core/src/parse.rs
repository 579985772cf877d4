//! Typed parsing of values files: YAML text → Helm's JSON → a typed model,
//! with every error placed at a line and column of the source.
//!
//! ```
//! use osmo_values::{Chart, ChartName, Release};
//! let chart = Chart::new(Release::V6_2_10, ChartName::Router).unwrap();
//! let err = chart.parse("nameOverride: osmo\nbogusKey: 1\n").unwrap_err();
//! assert_eq!((err.line, err.column), (2, 1));
//! assert_eq!(err.path.unwrap().to_string(), "bogusKey");
//! ```

use std::fmt;

use serde::de::DeserializeOwned;

use crate::chart::{ModelError, deserialize_json};
use crate::path::Path;
use crate::yaml::{self, Document, Node, YamlError};

/// A values file that cannot be read into a model, placed in the source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters.
    pub column: usize,
    /// The path of the offending key, for errors of the model (not of YAML).
    pub path: Option<Path>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl From<YamlError> for ParseError {
    fn from(err: YamlError) -> Self {
        ParseError {
            line: err.pos.line,
            column: err.pos.column,
            path: None,
            message: err.message,
        }
    }
}

/// Places a model error in the source: an unknown key at the key itself,
/// any other error at the value; a path that does not exist in the
/// document (a missing field) at its nearest existing ancestor.
pub fn locate(document: &Document, err: ModelError) -> ParseError {
    let root = &document.root;
    let unknown_key =
        err.message.starts_with("unknown field") || err.message.starts_with("unknown key");
    let node: &Node = (unknown_key.then(|| root.key_at(&err.path)).flatten())
        .or_else(|| {
            let mut path = err.path.clone();
            loop {
                if let Some(node) = root.at(&path) {
                    return Some(node);
                }
                path = path.parent()?;
            }
        })
        .unwrap_or(root);
    let message = if err.path.is_root() {
        err.message
    } else {
        format!("{}: {}", err.path, err.message)
    };
    ParseError {
        line: node.span.start.line,
        column: node.span.start.column,
        path: Some(err.path),
        message,
    }
}

/// Reads a YAML document into any type, as Helm would read it, returning
/// the typed value and the document (for positions).
///
/// ```
/// use std::collections::BTreeMap;
/// let (map, _doc) = osmo_values::parse::parse_as::<BTreeMap<String, u32>>("a: 017\n").unwrap();
/// assert_eq!(map["a"], 15);
/// let err = osmo_values::parse::parse_as::<BTreeMap<String, u32>>("a: 1\nb: x\n").unwrap_err();
/// assert_eq!((err.line, err.column), (2, 4));
/// ```
pub fn parse_as<T: DeserializeOwned>(text: &str) -> Result<(T, Document), ParseError> {
    let document = yaml::parse(text)?;
    match deserialize_json::<T>(document.root.to_json()) {
        Ok(value) => Ok((value, document)),
        Err(err) => Err(locate(&document, err)),
    }
}
