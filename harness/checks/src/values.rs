//! Small value validators shared by the rules.

/// ASCII digits only (and at least one).
pub(crate) fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A value of up to sixteen bytes as its length and two words that overlap or are padded: two
/// such values are equal exactly when these are. Compared without a call to `memcmp`, and small
/// enough to keep (the field plan's last passing value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Short {
    len: u8,
    first: u64,
    last: u64,
}

impl Short {
    /// `raw` as a [`Short`]; `None` when longer than sixteen bytes.
    #[inline(always)]
    pub(crate) fn of(raw: &[u8]) -> Option<Short> {
        let n = raw.len();
        let w4 = |at: usize| {
            <[u8; 4]>::try_from(&raw[at..at + 4]).map_or(0, |w| u64::from(u32::from_ne_bytes(w)))
        };
        let w8 = |at: usize| <[u8; 8]>::try_from(&raw[at..at + 8]).map_or(0, u64::from_ne_bytes);
        let (first, last) = match n {
            0..=3 => (raw.iter().fold(0, |w, &c| w << 8 | u64::from(c)), 0),
            4..=8 => (w4(0), w4(n - 4)),
            9..=16 => (w8(0), w8(n - 8)),
            _ => return None,
        };
        Some(Short {
            len: n as u8,
            first,
            last,
        })
    }
}

/// `a == b`, without a call to `memcmp` for the short values of these files (versions, months,
/// codes, numbers): up to sixteen bytes are compared as [`Short`]s.
#[inline(always)]
pub(crate) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    match (Short::of(a), Short::of(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn num(s: &str) -> u32 {
    s.bytes().fold(0, |n, b| n * 10 + u32::from(b - b'0'))
}

/// Days in a month (Gregorian).
pub(crate) fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

/// `YYYYMM` that exists (years 1900–2199: anything else is a typo in this domain).
pub(crate) fn valid_month(s: &str) -> bool {
    s.len() == 6
        && is_digits(s)
        && (1900..2200).contains(&num(&s[..4]))
        && (1..=12).contains(&num(&s[4..]))
}

/// `YYYYMMDD` that exists.
pub(crate) fn valid_date(s: &str) -> bool {
    s.len() == 8 && is_digits(s) && valid_month(&s[..6]) && {
        let day = num(&s[6..]);
        day >= 1 && day <= days_in_month(num(&s[..4]), num(&s[4..6]))
    }
}

/// `HHMM` within 0000–2359.
pub(crate) fn valid_time(s: &str) -> bool {
    s.len() == 4 && is_digits(s) && num(&s[..2]) < 24 && num(&s[2..]) < 60
}

/// `YYYYMMDDHHMMSS` that exists.
pub(crate) fn valid_timestamp(s: &str) -> bool {
    s.len() == 14
        && is_digits(s)
        && valid_date(&s[..8])
        && valid_time(&s[8..12])
        && num(&s[12..]) < 60
}

/// Days of a `YYYYMM` month, when valid.
pub(crate) fn month_days(month: &str) -> Option<u32> {
    valid_month(month).then(|| days_in_month(num(&month[..4]), num(&month[4..])))
}

/// The check digit (6th digit) of a 介護保険 保険者番号: weights 2,1,2,1,2 from the right over
/// the first five digits, digits of the products summed, then (10 − sum mod 10) mod 10.
/// E.g. 13101 → 1 (131011). The algorithm is general 保険者番号 knowledge, not spec text: the
/// rule only warns.
pub(crate) fn insurer_check_digit(first5: &str) -> Option<u32> {
    if first5.len() != 5 || !is_digits(first5) {
        return None;
    }
    let sum: u32 = first5
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let p = u32::from(b - b'0') * if i % 2 == 0 { 2 } else { 1 };
            p / 10 + p % 10
        })
        .sum();
    Some((10 - sum % 10) % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorts_are_equal_exactly_when_the_values_are() {
        let values: Vec<&[u8]> = vec![
            b"",
            b"1",
            b"01",
            b"10",
            b"001",
            b"\0",
            b"\0\0",
            b"1234",
            b"12345",
            b"02345",
            b"12346",
            b"123456",
            b"202407",
            b"202408",
            b"12345678",
            b"123456789",
            b"023456789",
            b"123456780",
            b"1234567890123456",
            b"1234567890123457",
            b"0234567890123456",
            b"12345678901234567",
        ];
        for a in &values {
            for b in &values {
                match (Short::of(a), Short::of(b)) {
                    (Some(x), Some(y)) => assert_eq!(x == y, a == b, "{a:?} {b:?}"),
                    _ => assert!(a.len() > 16 || b.len() > 16),
                }
            }
        }
    }

    #[test]
    fn same_is_equality() {
        for (a, b) in [
            ("", ""),
            ("202407", "202407"),
            ("202407", "202408"),
            ("2024", "202407"),
            ("12345678", "12345678"),
            ("123456789", "123456789"),
            ("123456789", "123456780"),
            ("1234567890123456", "1234567890123456"),
            ("1234567890123456", "1234567890123457"),
            ("0234567890123456", "1234567890123456"),
            ("12345678901234567", "12345678901234567"),
            ("12345678901234567", "12345678901234568"),
            ("abc", "abd"),
            ("abcde", "abcdf"),
            ("xbcde", "abcde"),
            ("\0", ""),
            ("\0a", "a"),
            ("あ", "い"),
        ] {
            assert_eq!(same(a, b), a == b, "{a:?} {b:?}");
            assert_eq!(same(b, a), a == b, "{b:?} {a:?}");
        }
    }

    #[test]
    fn dates_and_months() {
        assert!(valid_date("20240229"));
        assert!(!valid_date("20250229"));
        assert!(!valid_date("20250230"));
        assert!(!valid_date("00000000"));
        assert!(!valid_date("2025040a"));
        assert!(!valid_date("20250\u{3042}"));
        assert!(valid_month("202504"));
        assert!(!valid_month("202513"));
        assert!(!valid_month("000000"));
        assert_eq!(month_days("202502"), Some(28));
    }

    #[test]
    fn times_and_timestamps() {
        assert!(valid_time("0000"));
        assert!(valid_time("2359"));
        assert!(!valid_time("2400"));
        assert!(!valid_time("2530"));
        assert!(valid_timestamp("20250401093000"));
        assert!(!valid_timestamp("201911110102233"));
        assert!(!valid_timestamp("20250431093000"));
        assert!(!valid_timestamp("2025043109300x"));
        assert!(!valid_timestamp("2025040109300\u{3042}"));
    }

    #[test]
    fn insurer_check_digits() {
        assert_eq!(insurer_check_digit("13101"), Some(1));
        assert_eq!(insurer_check_digit("01100"), Some(7));
        assert_eq!(insurer_check_digit("1310"), None);
    }
}
