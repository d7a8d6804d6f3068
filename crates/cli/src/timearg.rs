//! `--at` values: `3.2s`, `3200ms`, `1:02.5`, `1:00:02.5`, `3.2` (seconds) or a frame `#90`.
//! Parsed as decimal text straight into integer microseconds so `0.1s` is exactly 100 000 µs.

use chatframe_model::{MS, Micros, SECOND};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    Time(Micros),
    Frame(u64),
}

impl std::str::FromStr for At {
    type Err = String;

    fn from_str(input: &str) -> Result<At, String> {
        let s = input.trim();
        let bad = || format!("invalid time {input:?}: use 3.2s, 3200ms, 1:02.5 or a frame number like #90");
        if let Some(n) = s.strip_prefix('#') {
            return n.parse().map(At::Frame).map_err(|_| bad());
        }
        if let Some(ms) = s.strip_suffix("ms") {
            return decimal(ms, MS).map(At::Time).ok_or_else(bad);
        }
        if let Some(secs) = s.strip_suffix('s') {
            return decimal(secs, SECOND).map(At::Time).ok_or_else(bad);
        }
        // [[h:]m:]s — each colon part is a whole number; only the seconds may have a fraction.
        let parts: Vec<&str> = s.split(':').collect();
        if parts.len() > 3 {
            return Err(bad());
        }
        let (last, whole) = parts.split_last().ok_or_else(bad)?;
        let mut t = decimal(last, SECOND).ok_or_else(bad)?;
        if !whole.is_empty() && t >= 60 * SECOND {
            return Err(bad());
        }
        for (i, p) in whole.iter().rev().enumerate() {
            let v: i64 = p.parse().map_err(|_| bad())?;
            if v < 0 || (i == 0 && whole.len() == 2 && v >= 60) {
                return Err(bad());
            }
            t = t.checked_add(v.checked_mul(60_i64.pow(i as u32 + 1) * SECOND).ok_or_else(bad)?).ok_or_else(bad)?;
        }
        Ok(At::Time(t))
    }
}

/// Parses a non-negative decimal like `3.25` into units of `unit` µs (no float rounding).
fn decimal(s: &str, unit: Micros) -> Option<Micros> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() && frac.is_empty() || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let int: Micros = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut value = int.checked_mul(unit)?;
    let mut scale = unit;
    for d in frac.chars() {
        scale /= 10;
        if scale == 0 {
            break; // finer than a microsecond
        }
        value = value.checked_add(Micros::from(d.to_digit(10)?) * scale)?;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> At {
        s.parse().unwrap()
    }

    #[test]
    fn accepted_forms() {
        assert_eq!(t("3.2s"), At::Time(3_200_000));
        assert_eq!(t("3200ms"), At::Time(3_200_000));
        assert_eq!(t("0.1s"), At::Time(100_000));
        assert_eq!(t("1:02.5"), At::Time(62_500_000));
        assert_eq!(t("1:00:02"), At::Time(3_602_000_000));
        assert_eq!(t("3"), At::Time(3_000_000));
        assert_eq!(t(".5s"), At::Time(500_000));
        assert_eq!(t("1.5ms"), At::Time(1_500));
        assert_eq!(t("#90"), At::Frame(90));
    }

    #[test]
    fn refused_forms() {
        for s in ["", "s", "-1s", "abc", "1:2:3:4", "1:75", "#-1", "#x", "1.2.3s", "3 s", "1e3s"] {
            assert!(s.parse::<At>().is_err(), "{s:?} should be refused");
        }
    }
}
