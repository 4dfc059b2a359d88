//! The product's own clock, injected: the run's date-time gives 作成年月日 and the 連番.

use crate::ExportError;

/// `YYYYMMDDhhmmss` of an RFC 3339 date-time (`2026-04-01T09:00:00Z`) or of 14 digits.
pub(crate) fn timestamp(run_started: &str) -> Result<String, ExportError> {
    let digits: String = run_started
        .chars()
        .take_while(|c| *c != 'Z' && *c != '+' && *c != '.')
        .filter(char::is_ascii_digit)
        .collect();
    let digits = match digits.len() {
        8 => format!("{digits}000000"),
        14 => digits,
        // RFC 3339 with a `-hh:mm` offset: the offset's digits follow the seconds.
        n if n > 14 => digits[..14].to_owned(),
        _ => {
            return Err(ExportError::Clock(format!(
                "the run's date-time {run_started:?} is not RFC 3339 (YYYY-MM-DDThh:mm:ss…)"
            )));
        }
    };
    seconds(&digits).map(|_| digits.clone()).ok_or_else(|| {
        ExportError::Clock(format!(
            "the run's date-time {run_started:?} is not a real date and time"
        ))
    })
}

/// The system clock's UTC date-time as `YYYYMMDDhhmmss` (for a session started without an
/// injected run date-time).
pub fn utc_now() -> String {
    let unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    format(days_from_civil(1970, 1, 1) * 86_400 + unix)
}

/// `YYYYMMDDhhmmss` → seconds since 0000-03-01 (proleptic Gregorian); `None` for no date-time.
pub(crate) fn seconds(ts: &str) -> Option<i64> {
    if ts.len() != 14 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |a: usize, b: usize| ts[a..b].parse::<i64>().ok();
    let (y, m, d, hh, mm, ss) = (
        n(0, 4)?,
        n(4, 6)?,
        n(6, 8)?,
        n(8, 10)?,
        n(10, 12)?,
        n(12, 14)?,
    );
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) || hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400 + hh * 3_600 + mm * 60 + ss)
}

/// Seconds (as [`seconds`] counts them) → `YYYYMMDDhhmmss`.
pub(crate) fn format(total: i64) -> String {
    let days = total.div_euclid(86_400);
    let rest = total.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

fn leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_round_trip_across_days_months_and_leap_years() {
        for ts in [
            "20240228235959",
            "20240229000000",
            "20241231235959",
            "21000228235959",
            "20000229120000",
        ] {
            let s = seconds(ts).unwrap();
            assert_eq!(format(s), ts);
        }
        assert_eq!(
            format(seconds("20240228235959").unwrap() + 1),
            "20240229000000"
        );
        assert_eq!(
            format(seconds("21000228235959").unwrap() + 1),
            "21000301000000"
        );
        assert_eq!(
            format(seconds("20251231235959").unwrap() + 1),
            "20260101000000"
        );
        assert!(seconds("20250229000000").is_none());
        assert!(seconds("20250431000000").is_none());
        assert!(seconds("20250101240000").is_none());
    }

    #[test]
    fn run_date_times() {
        assert_eq!(timestamp("2026-04-01T09:00:00Z").unwrap(), "20260401090000");
        assert_eq!(
            timestamp("2026-04-01T09:00:00.123+09:00").unwrap(),
            "20260401090000"
        );
        assert_eq!(
            timestamp("2026-04-01T09:00:00-05:00").unwrap(),
            "20260401090000"
        );
        assert_eq!(timestamp("20260401").unwrap(), "20260401000000");
        assert!(timestamp("yesterday").is_err());
        assert!(timestamp("2026-02-30T00:00:00Z").is_err());
    }
}
