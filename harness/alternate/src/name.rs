//! File names (rules.md §4), read through the spec's layouts: the prefix is a layout's kind
//! (longest first), the month part is there when the layout's name rule says so, an attachment
//! is named after its parent's five trailing parts and a branch number.

use cpcert_spec::Spec;

use crate::ImportError;

/// A sending or receiving office: 事業所番号 and サービス種類コード.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Office {
    /// 事業所番号 (10 digits).
    pub number: String,
    /// サービス種類コード (2 characters).
    pub service: String,
}

/// What a file is, by its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum What {
    /// A CSV file of this layout kind.
    Csv(String),
    /// An attachment (家族構成画像) of this parent kind; the branch number ends the name.
    Attachment { parent: String, branch: String },
}

/// A parsed file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Name {
    pub(crate) what: What,
    pub(crate) month: Option<String>,
    pub(crate) from: Office,
    pub(crate) to: Office,
    pub(crate) sequence: String,
}

pub(crate) fn digits(v: &str, n: usize) -> bool {
    v.len() == n && v.bytes().all(|b| b.is_ascii_digit())
}

fn service(v: &str) -> bool {
    v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Parses a file name of layout version `version`.
pub(crate) fn parse(spec: &Spec, version: &str, name: &str) -> Result<Name, ImportError> {
    let bad = |reason: String| ImportError::Name {
        file: name.to_owned(),
        reason,
    };
    let (stem, ext) = name
        .rsplit_once('.')
        .ok_or_else(|| bad("no extension".into()))?;
    for (layout, attachment) in spec.attachments(version) {
        let Some(rest) = stem
            .strip_prefix(attachment.kind.as_str())
            .and_then(|r| r.strip_prefix('_'))
        else {
            continue;
        };
        if !attachment.extensions.iter().any(|e| e == ext) {
            return Err(bad(format!(
                "{} must end in .{}",
                attachment.kind,
                attachment.extensions.join(" or .")
            )));
        }
        let parts: Vec<&str> = rest.split('_').collect();
        let [a, b, c, d, e, branch] = parts.as_slice() else {
            return Err(bad(format!(
                "{} parts after {}, expected 6",
                parts.len(),
                attachment.kind
            )));
        };
        if !digits(branch, attachment.branch_digits as usize) {
            return Err(bad(format!(
                "the branch `{branch}` is not {} digits",
                attachment.branch_digits
            )));
        }
        let (from, to, sequence) = five(&[a, b, c, d, e]).map_err(bad)?;
        return Ok(Name {
            what: What::Attachment {
                parent: layout.kind.clone(),
                branch: (*branch).to_owned(),
            },
            month: None,
            from,
            to,
            sequence,
        });
    }
    if !ext.eq_ignore_ascii_case("csv") {
        return Err(bad(format!("the extension `.{ext}` is not .CSV")));
    }
    let kind = spec
        .kinds_longest_first(version)
        .into_iter()
        .find(|k| {
            stem.strip_prefix(k)
                .is_some_and(|rest| rest.starts_with('_'))
        })
        .ok_or_else(|| bad("no layout has this prefix".into()))?;
    let layout = spec
        .layout(version, kind)
        .ok_or_else(|| bad(format!("no layout {kind}")))?;
    let rest = &stem[kind.len() + 1..];
    let parts: Vec<&str> = rest.split('_').collect();
    let (month, five_parts) = if layout.name.month_part {
        match parts.split_first() {
            Some((m, others)) if digits(m, 6) => (Some((*m).to_owned()), others),
            _ => return Err(bad("the month part is not 6 digits".into())),
        }
    } else {
        (None, parts.as_slice())
    };
    let (from, to, sequence) = five(five_parts).map_err(bad)?;
    Ok(Name {
        what: What::Csv(kind.to_owned()),
        month,
        from,
        to,
        sequence,
    })
}

/// The five trailing parts: 送信元事業所番号, 送信元サービス種類, 送信先事業所番号, 送信先サービス種類, 連番.
fn five(parts: &[&str]) -> Result<(Office, Office, String), String> {
    let [from, from_service, to, to_service, sequence] = parts else {
        return Err(format!(
            "{} parts after the prefix and month, expected 5",
            parts.len()
        ));
    };
    if !digits(from, 10) || !digits(to, 10) {
        return Err("an office number is not 10 digits".into());
    }
    if !service(from_service) || !service(to_service) {
        return Err("a service kind is not 2 letters or digits".into());
    }
    if !digits(sequence, 14) {
        return Err("the 連番 is not 14 digits".into());
    }
    Ok((
        Office {
            number: (*from).to_owned(),
            service: (*from_service).to_owned(),
        },
        Office {
            number: (*to).to_owned(),
            service: (*to_service).to_owned(),
        },
        (*sequence).to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_by_layout() {
        let spec = Spec::embedded();
        let n = parse(
            spec,
            "202407",
            "UPPLAN_202504_0100000001_43_0200000002_11_20250401090000.CSV",
        )
        .unwrap();
        assert_eq!(n.what, What::Csv("UPPLAN".into()));
        assert_eq!(n.month.as_deref(), Some("202504"));
        let n = parse(
            spec,
            "202407",
            "UPKIHON_SUB1_0100000001_46_0200000002_A2_20250401090000.csv",
        )
        .unwrap();
        assert_eq!(n.what, What::Csv("UPKIHON_SUB1".into()));
        let n = parse(
            spec,
            "202407",
            "UPKIHON_IMAGE_0100000001_46_0200000002_A2_20250401090000_0001.JPG",
        )
        .unwrap();
        assert!(matches!(n.what, What::Attachment { ref branch, .. } if branch == "0001"));
        for bad in [
            "UP1KYO_100000001_43_0200000002_11_20250401090000.CSV",
            "UP1KYO_0100000001_43_0200000002_11_202504010900001.CSV",
            "UPPLAN_0100000001_43_0200000002_11_20250401090000.CSV",
            "UPXYZ_0100000001_43_0200000002_11_20250401090000.CSV",
            "UP1KYO_0100000001_43_0200000002_11_20250401090000.TXT",
            "UPKIHON_IMAGE_0100000001_46_0200000002_A2_20250401090000_1.jpg",
        ] {
            assert!(parse(spec, "202407", bad).is_err(), "{bad}");
        }
    }
}
