//! Text diffs for showing a golden mismatch to a person.

use similar::TextDiff;

/// A unified diff (3 lines of context) of decoded CSV text, `expected` (golden) against `actual`
/// (what the product wrote); empty when the texts are equal.
///
/// Golden files are compared as bytes elsewhere; this is only for reading. Line endings are part
/// of the lines, so a CRLF/LF difference shows as a changed line.
pub fn text_diff(expected: &str, actual: &str) -> String {
    if expected == actual {
        return String::new();
    }
    TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_give_no_diff() {
        assert_eq!(text_diff("a\r\n", "a\r\n"), "");
    }

    #[test]
    fn shows_the_changed_record() {
        let expected = "202407,1,131001\r\n202407,2,131001\r\n";
        let actual = "202407,1,131001\r\n202407,2,13100\r\n";
        let diff = text_diff(expected, actual);
        assert!(
            diff.starts_with("--- expected\n+++ actual\n@@ -1,2 +1,2 @@\n"),
            "{diff}"
        );
        assert!(diff.contains("-202407,2,131001\r\n"), "{diff}");
        assert!(diff.contains("+202407,2,13100\r\n"), "{diff}");
    }
}
