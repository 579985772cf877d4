//! Dotted version numbers as the cluster reports them (`v1.30.4-eks-a737599`,
//! `containerd://1.7.27`, `535.216.03`) and the floors the guides set.

use std::cmp::Ordering;
use std::fmt;

/// A version of up to four numeric parts; missing parts count as zero, so
/// `12.6` equals `12.6.0`. Leading zeros are numbers too: `535.216.03` has
/// the revision 3.
#[derive(Debug, Clone, Copy)]
pub struct Version {
    parts: [u32; 4],
    len: u8,
}

impl Version {
    /// A version from its parts (at most four; more are ignored).
    ///
    /// ```
    /// use osmo_values::backend::version::Version;
    /// assert_eq!(Version::new(&[1, 30]), Version::parse("1.30.0").unwrap());
    /// ```
    pub const fn new(parts: &[u32]) -> Version {
        let mut out = [0u32; 4];
        let mut i = 0;
        while i < parts.len() && i < 4 {
            out[i] = parts[i];
            i += 1;
        }
        Version {
            parts: out,
            len: if parts.len() > 4 {
                4
            } else {
                parts.len() as u8
            },
        }
    }

    /// Reads the leading dotted number of `text`, after an optional `v`; anything after it
    /// (`-eks-a737599`, `+k3s1`, `-1ubuntu1`) is ignored. `None` when `text` does not start
    /// with a number.
    ///
    /// ```
    /// use osmo_values::backend::version::Version;
    /// let v = Version::parse("v1.30.4-eks-a737599").unwrap();
    /// assert_eq!(v.to_string(), "1.30.4");
    /// assert!(Version::parse("535.216.03").unwrap() > Version::parse("535.216.1").unwrap());
    /// assert!(Version::parse("eks").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Version> {
        let text = text.trim();
        let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let mut parts = Vec::new();
        for piece in text.split('.') {
            let digits: &str = &piece[..piece
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(piece.len())];
            if digits.is_empty() {
                break;
            }
            parts.push(digits.parse::<u32>().ok()?);
            if digits.len() != piece.len() || parts.len() == 4 {
                break;
            }
        }
        if parts.is_empty() {
            None
        } else {
            Some(Version::new(&parts))
        }
    }

    /// The numeric parts given or read (one to four).
    pub fn parts(&self) -> &[u32] {
        &self.parts[..self.len as usize]
    }

    /// The first part (the major version).
    pub fn major(&self) -> u32 {
        self.parts[0]
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.parts == other.parts
    }
}

impl Eq for Version {}

impl std::hash::Hash for Version {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.parts.hash(state);
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts.cmp(&other.parts)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.parts().iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// A least version, with the text the guides write it as (`535.216.03`, `v1.30.0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Floor {
    /// As the guides write it.
    pub text: &'static str,
    /// The same, as numbers (a test keeps the two equal).
    pub version: Version,
}

impl Floor {
    /// Whether `found` meets the floor.
    pub fn met_by(&self, found: &Version) -> bool {
        *found >= self.version
    }
}

impl fmt::Display for Floor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::Version;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap_or_else(|| panic!("{s} parses"))
    }

    #[test]
    fn reads_what_clusters_report() {
        assert_eq!(v("v1.30.4-eks-a737599").parts(), [1, 30, 4]);
        assert_eq!(v("v1.31.6-gke.1020000").parts(), [1, 31, 6]);
        assert_eq!(v("v1.29.9+k3s1").parts(), [1, 29, 9]);
        assert_eq!(v("1.7.27").parts(), [1, 7, 27]);
        assert_eq!(v("1.6.28-0ubuntu1~22.04.1").parts(), [1, 6, 28]);
        assert_eq!(v("535.216.03").parts(), [535, 216, 3]);
        assert_eq!(v("12.6").parts(), [12, 6]);
        assert_eq!(v("5.15.148-tegra").parts(), [5, 15, 148]);
        assert_eq!(v("22.04.4 LTS").parts(), [22, 4, 4]);
        assert_eq!(v("1.2.3.4.5").parts(), [1, 2, 3, 4]);
        assert!(Version::parse("").is_none());
        assert!(Version::parse("v").is_none());
        assert!(Version::parse("containerd://1.7.27").is_none());
        assert!(Version::parse("99999999999.1").is_none());
    }

    #[test]
    fn compares_numerically_with_missing_parts_as_zero() {
        assert_eq!(v("12.6"), Version::new(&[12, 6]));
        assert_eq!(v("12.6").cmp(&v("12.6.0")), std::cmp::Ordering::Equal);
        assert!(v("1.7.27") > v("1.7.9"));
        assert!(v("2.0.0") > v("1.7.27"));
        assert!(v("535.216.03") > v("535.183.06"));
        assert!(v("535.216.03") < v("550.54.15"));
        assert!(v("1.29.15") < v("1.30"));
    }
}
