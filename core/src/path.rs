//! Paths to a node inside a values document: `services.service.ingress`.

use std::fmt;

/// One step of a [`Path`]: a map key or a list index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// A key of a map.
    Key(String),
    /// A position in a list, from 0.
    Index(usize),
}

/// The location of a node in a values document, from the root.
///
/// ```
/// use osmo_values::path::{Path, Segment};
/// let p = Path::parse_pointer("/sidecars/envoy/jwt/providers/0/cluster");
/// assert_eq!(p.to_string(), "sidecars.envoy.jwt.providers[0].cluster");
/// assert_eq!(p.to_pointer(), "/sidecars/envoy/jwt/providers/0/cluster");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Path(pub Vec<Segment>);

impl Path {
    /// The empty path: the document root.
    pub fn root() -> Path {
        Path(Vec::new())
    }

    /// A path of map keys, from a dotted string such as `global.osmoImageTag`.
    pub fn keys(dotted: &str) -> Path {
        Path(
            dotted
                .split('.')
                .filter(|s| !s.is_empty())
                .map(|s| Segment::Key(s.to_owned()))
                .collect(),
        )
    }

    /// Reads a JSON Pointer (RFC 6901). All-digit segments become indexes.
    pub fn parse_pointer(pointer: &str) -> Path {
        Path(
            pointer
                .split('/')
                .skip(1)
                .map(|raw| {
                    let s = raw.replace("~1", "/").replace("~0", "~");
                    match s.parse::<usize>() {
                        Ok(i) if !s.starts_with('+') && (s == "0" || !s.starts_with('0')) => {
                            Segment::Index(i)
                        }
                        _ => Segment::Key(s),
                    }
                })
                .collect(),
        )
    }

    /// The path as a JSON Pointer (RFC 6901).
    pub fn to_pointer(&self) -> String {
        self.0
            .iter()
            .map(|seg| match seg {
                Segment::Key(k) => format!("/{}", k.replace('~', "~0").replace('/', "~1")),
                Segment::Index(i) => format!("/{i}"),
            })
            .collect()
    }

    /// Appends a key.
    pub fn key(mut self, key: impl Into<String>) -> Path {
        self.0.push(Segment::Key(key.into()));
        self
    }

    /// Appends an index.
    pub fn index(mut self, index: usize) -> Path {
        self.0.push(Segment::Index(index));
        self
    }

    /// The last step, if any.
    pub fn last(&self) -> Option<&Segment> {
        self.0.last()
    }

    /// Appends a step in place.
    pub fn push(&mut self, segment: Segment) {
        self.0.push(segment);
    }

    /// The path without its last step.
    pub fn parent(&self) -> Option<Path> {
        let (_, rest) = self.0.split_last()?;
        Some(Path(rest.to_vec()))
    }

    /// Whether this path is the root.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl serde::Serialize for Path {
    /// A path serializes as its dotted text, such as `services.service.ingress`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl FromIterator<Segment> for Path {
    fn from_iter<I: IntoIterator<Item = Segment>>(iter: I) -> Self {
        Path(iter.into_iter().collect())
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(root)");
        }
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Segment::Key(k) if i == 0 => write!(f, "{k}")?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A path being walked down, its keys borrowed from the tree walked:
/// nothing is copied on the way down, and [`Trail::path`] makes the owned
/// [`Path`] only where a rule reports.
#[derive(Debug, Default)]
pub(crate) struct Trail<'v>(Vec<TrailStep<'v>>);

/// One step of a [`Trail`].
#[derive(Debug, Clone, Copy)]
enum TrailStep<'v> {
    /// A map key.
    Key(&'v str),
    /// A list position.
    Index(usize),
}

impl<'v> Trail<'v> {
    /// Steps down to key `key`.
    pub(crate) fn key(&mut self, key: &'v str) {
        self.0.push(TrailStep::Key(key));
    }

    /// Steps down to list position `index`.
    pub(crate) fn index(&mut self, index: usize) {
        self.0.push(TrailStep::Index(index));
    }

    /// Steps back up.
    pub(crate) fn pop(&mut self) {
        self.0.pop();
    }

    /// The owned path.
    pub(crate) fn path(&self) -> Path {
        Path(
            self.0
                .iter()
                .map(|step| match *step {
                    TrailStep::Key(k) => Segment::Key(k.to_owned()),
                    TrailStep::Index(i) => Segment::Index(i),
                })
                .collect(),
        )
    }
}
