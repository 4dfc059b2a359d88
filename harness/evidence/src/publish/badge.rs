//! An SVG badge per product: which patterns it completed.

use super::html::escape;

/// A flat two-part badge: `cpcert 202407` | the completed patterns (or `—`).
pub fn badge(spec_version: &str, patterns: &[String], all: usize) -> String {
    let left = format!("cpcert {spec_version}");
    let right = if patterns.is_empty() {
        "—".to_owned()
    } else if patterns.len() == all {
        format!("{} ✓", patterns.join(" "))
    } else {
        patterns.join(" ")
    };
    // Width from the character count: a fixed 7 px a character at 11 px (no font metrics offline).
    let w = |t: &str| 10 + 7 * t.chars().count();
    let (lw, rw) = (w(&left), w(&right));
    let colour = if patterns.is_empty() {
        "#9f9f9f"
    } else if patterns.len() == all {
        "#2e7d32"
    } else {
        "#1565c0"
    };
    let (left, right) = (escape(&left), escape(&right));
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" aria-label="{left}: {right}">
<title>{left}: {right}</title>
<rect width="{lw}" height="20" fill="#555"/>
<rect x="{lw}" width="{rw}" height="20" fill="{colour}"/>
<g fill="#fff" font-family="sans-serif" font-size="11" text-anchor="middle">
<text x="{lx}" y="14">{left}</text>
<text x="{rx}" y="14">{right}</text>
</g>
</svg>
"##,
        total = lw + rw,
        lx = lw / 2,
        rx = lw + rw / 2,
    )
}
