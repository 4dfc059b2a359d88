//! How values are printed on the forms: dates in the Japanese era as on the paper sheets, times
//! as HH:MM. A value that is not what its field says is printed as written.

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

/// Day of the week, 0 = Sunday (Sakamoto's method).
pub(crate) fn weekday(year: u32, month: u32, day: u32) -> u32 {
    const T: [u32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if month < 3 { year - 1 } else { year };
    (y + y / 4 - y / 100 + y / 400 + T[(month as usize - 1) % 12] + day) % 7
}

/// 日月火水木金土 by [`weekday`].
pub(crate) const WEEKDAYS: [&str; 7] = ["日", "月", "火", "水", "木", "金", "土"];

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `YYYYMM` → (year, month), when it is one.
pub(crate) fn year_month(s: &str) -> Option<(u32, u32)> {
    let v = digits(s, 6)?;
    let (y, m) = (v / 100, v % 100);
    (1900..=2999).contains(&y).then_some(())?;
    (1..=12).contains(&m).then_some((y, m))
}

/// `YYYYMMDD` → (year, month, day), when it is a real date.
pub(crate) fn ymd(s: &str) -> Option<(u32, u32, u32)> {
    let v = digits(s, 8)?;
    let (y, m, d) = (v / 10000, v / 100 % 100, v % 100);
    (1868..=2999).contains(&y).then_some(())?;
    (d >= 1 && d <= days_in_month(y, m)).then_some((y, m, d))
}

/// The era and its year for a date (和暦), as on the forms.
fn era(y: u32, m: u32, d: u32) -> (&'static str, u32) {
    let n = y * 10000 + m * 100 + d;
    if n >= 20_190_501 {
        ("令和", y - 2018)
    } else if n >= 19_890_108 {
        ("平成", y - 1988)
    } else if n >= 19_261_225 {
        ("昭和", y - 1925)
    } else if n >= 19_120_730 {
        ("大正", y - 1911)
    } else {
        ("明治", y - 1867)
    }
}

fn era_year(name: &str, n: u32) -> String {
    if n == 1 {
        format!("{name}元年")
    } else {
        format!("{name}{n}年")
    }
}

/// `20250401` → `令和7年4月1日`; anything else as written.
pub(crate) fn date(s: &str) -> String {
    match ymd(s) {
        Some((y, m, d)) => {
            let (e, n) = era(y, m, d);
            format!("{}{m}月{d}日", era_year(e, n))
        }
        None => s.to_owned(),
    }
}

/// `202504` → `令和7年4月`; anything else as written.
pub(crate) fn month(s: &str) -> String {
    match year_month(s) {
        Some((y, m)) => {
            let (e, n) = era(y, m, days_in_month(y, m));
            format!("{}{m}月", era_year(e, n))
        }
        None => s.to_owned(),
    }
}

/// `HHMM` → minutes after midnight (24:00 allowed as an end).
pub(crate) fn minutes(s: &str) -> Option<u32> {
    let v = digits(s, 4)?;
    let (h, m) = (v / 100, v % 100);
    (h <= 24 && m < 60 && (h < 24 || m == 0)).then_some(h * 60 + m)
}

/// `1000` → `10:00`, `9999` (no time) → empty; anything else as written.
pub(crate) fn time(s: &str) -> String {
    if s == "9999" {
        return String::new();
    }
    match minutes(s) {
        Some(t) => format!("{}:{:02}", t / 60, t % 60),
        None => s.to_owned(),
    }
}

/// A time span `10:00～11:00` (empty when the service has no time).
pub(crate) fn span(start: &str, end: &str) -> String {
    let (a, b) = (time(start), time(end));
    if a.is_empty() && b.is_empty() {
        String::new()
    } else {
        format!("{a}～{b}")
    }
}

/// An integer with thousands separators (`19705` → `19,705`); anything else as written.
pub(crate) fn number(s: &str) -> String {
    let (sign, digits) = s.strip_prefix('-').map_or(("", s), |d| ("-", d));
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return s.to_owned();
    }
    let trimmed = digits.trim_start_matches('0');
    let digits = if trimmed.is_empty() { "0" } else { trimmed };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// A file-name-safe form of a value read from a file (ASCII letters and digits, at most 16).
pub(crate) fn slug(s: &str) -> String {
    let out: String = s
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect();
    if out.is_empty() { "x".into() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_era() {
        assert_eq!(date("20250401"), "令和7年4月1日");
        assert_eq!(date("20190501"), "令和元年5月1日");
        assert_eq!(date("20190430"), "平成31年4月30日");
        assert_eq!(date("19400101"), "昭和15年1月1日");
        assert_eq!(date("20250230"), "20250230");
        assert_eq!(date("00000000"), "00000000");
        assert_eq!(month("202504"), "令和7年4月");
    }

    #[test]
    fn weekdays() {
        assert_eq!(WEEKDAYS[weekday(2025, 4, 1) as usize], "火");
        assert_eq!(WEEKDAYS[weekday(2024, 2, 29) as usize], "木");
        assert_eq!(WEEKDAYS[weekday(2026, 11, 29) as usize], "日");
    }

    #[test]
    fn times_numbers_slugs() {
        assert_eq!(time("0930"), "9:30");
        assert_eq!(time("9999"), "");
        assert_eq!(time("2460"), "2460");
        assert_eq!(span("1000", "1100"), "10:00～11:00");
        assert_eq!(number("19705"), "19,705");
        assert_eq!(number("-120"), "-120");
        assert_eq!(number("99.99"), "99.99");
        assert_eq!(number("0"), "0");
        assert_eq!(slug("2025/04../01"), "20250401");
        assert_eq!(slug("../"), "x");
    }
}
