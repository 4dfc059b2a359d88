//! `results.json`: pretty JSON in struct field order with a trailing newline.

use crate::results::Results;

/// Renders `results` as pretty JSON, outcomes sorted by case id, ending in a newline.
///
/// Key order is the struct field order (the model has no maps), so the output is stable.
pub fn render(results: &Results) -> String {
    let mut sorted = results.clone();
    sorted.sort();
    // The model holds only strings, numbers, enums and vectors: serialising it cannot fail.
    let mut text = serde_json::to_string_pretty(&sorted).expect("results serialise to JSON");
    text.push('\n');
    text
}
