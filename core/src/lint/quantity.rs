//! Exact comparison of Kubernetes resource quantities (`500m`, `1Gi`, `1e3`).

use std::cmp::Ordering;

/// A parsed quantity: `mantissa × 2^binary × 10^decimal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    mantissa: u128,
    negative: bool,
    binary: i32,
    decimal: i32,
}

impl Quantity {
    /// Parses a quantity in the Kubernetes grammar; `None` if it is not one.
    ///
    /// ```
    /// use osmo_values::lint::quantity::Quantity;
    /// let gi = Quantity::parse("1Gi").unwrap();
    /// assert!(gi > Quantity::parse("1000Mi").unwrap());
    /// assert!(Quantity::parse("500m").unwrap() < Quantity::parse("1").unwrap());
    /// assert_eq!(Quantity::parse("1e3"), Quantity::parse("1k"));
    /// assert!(Quantity::parse("64MB").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Quantity> {
        let text = text.trim();
        let (negative, body) = match text.as_bytes().first()? {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let end = body
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(body.len());
        let (number, suffix) = body.split_at(end);
        let (int, frac) = number.split_once('.').unwrap_or((number, ""));
        if int.is_empty() && frac.is_empty() || frac.contains('.') {
            return None;
        }
        let digits = format!("{int}{frac}");
        let digits = digits.trim_start_matches('0');
        if digits.len() > 36 {
            return None;
        }
        let mantissa: u128 = if digits.is_empty() {
            0
        } else {
            digits.parse().ok()?
        };
        let mut decimal = -(frac.len() as i32);
        let mut binary = 0;
        match suffix {
            "" => {}
            "Ki" => binary = 10,
            "Mi" => binary = 20,
            "Gi" => binary = 30,
            "Ti" => binary = 40,
            "Pi" => binary = 50,
            "Ei" => binary = 60,
            "n" => decimal -= 9,
            "u" => decimal -= 6,
            "m" => decimal -= 3,
            "k" => decimal += 3,
            "M" => decimal += 6,
            "G" => decimal += 9,
            "T" => decimal += 12,
            "P" => decimal += 15,
            "E" => decimal += 18,
            exp => {
                let rest = exp.strip_prefix(['e', 'E'])?;
                let sign_less = rest.strip_prefix(['+', '-']).unwrap_or(rest);
                if sign_less.is_empty() || !sign_less.chars().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                let e: i32 = rest.parse().ok()?;
                decimal = decimal.checked_add(e)?;
            }
        }
        Some(Quantity {
            mantissa,
            negative: negative && mantissa != 0,
            binary,
            decimal,
        })
    }

    /// The quantity as a floating-point number (approximate).
    pub fn to_f64(self) -> f64 {
        let v = self.mantissa as f64 * 2f64.powi(self.binary) * 10f64.powi(self.decimal);
        if self.negative { -v } else { v }
    }

    /// `mantissa × 2^binary × 10^(decimal - base)` as an exact integer, if it fits.
    fn scaled(self, base: i32) -> Option<u128> {
        let mut v = self.mantissa;
        v = v.checked_mul(1u128.checked_shl(self.binary as u32)?)?;
        let exp = u32::try_from(self.decimal - base).ok()?;
        v.checked_mul(10u128.checked_pow(exp)?)
    }

    fn cmp_magnitude(self, other: Quantity) -> Ordering {
        let base = self.decimal.min(other.decimal);
        match (self.scaled(base), other.scaled(base)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => {
                let (a, b) = (self.to_f64().abs(), other.to_f64().abs());
                a.partial_cmp(&b).unwrap_or(Ordering::Equal)
            }
        }
    }
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(*other),
            (true, true) => other.cmp_magnitude(*self),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Quantity;

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn compares_exactly() {
        assert!(q("1Gi") > q("1000Mi"));
        assert!(q("1Gi") < q("1100Mi"));
        assert_eq!(q("1Gi"), q("1Gi"));
        assert_eq!(q("1024Mi").cmp(&q("1Gi")), std::cmp::Ordering::Equal);
        assert!(q("500m") < q("1"));
        assert_eq!(q("1000m").cmp(&q("1")), std::cmp::Ordering::Equal);
        assert_eq!(q("0.5").cmp(&q("500m")), std::cmp::Ordering::Equal);
        assert!(q("1G") < q("1Gi"));
        assert_eq!(q("1.5Gi").cmp(&q("1536Mi")), std::cmp::Ordering::Equal);
        assert!(q("-1") < q("0"));
        assert_eq!(q("1e3").cmp(&q("1k")), std::cmp::Ordering::Equal);
        assert!(q("100Ei") > q("1n"));
        assert!(Quantity::parse("1.5 Gi").is_none());
        assert!(Quantity::parse("").is_none());
        assert!(Quantity::parse(".").is_none());
        assert!(Quantity::parse("1e").is_none());
    }
}
