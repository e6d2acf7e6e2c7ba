//! The URL fragment format: `#commons?kappa=3&exit_tribute=0.2&v=1`.
//!
//! Only parameters that differ from their defaults are written, followed by the format version
//! `v`. Reading never fails: every problem becomes a [`ParamIssue`] and the affected field keeps its
//! default. The same text is accepted by the CLI's `--params`.

use crate::params::{apply_pairs, clip, ParamIssue, ParamModel};

/// The format version written into every link.
pub const FORMAT_VERSION: u32 = 1;
/// Links longer than this are not read (a guard against pasted garbage).
pub const MAX_FRAGMENT_LEN: usize = 16 * 1024;

/// A fragment split into its tab and its `key=value` pairs (percent-decoded, in order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fragment {
    pub tab: String,
    pub pairs: Vec<(String, String)>,
}

/// Splits `#tab?k=v&k2=v2` (the leading `#` and the tab are optional). Never fails.
pub fn split(text: &str) -> Fragment {
    let text = text.trim();
    let text = text.strip_prefix('#').unwrap_or(text);
    let (tab, query) = match text.split_once('?') {
        Some((t, q)) => (t, q),
        None if text.contains('=') => ("", text),
        None => (text, ""),
    };
    let pairs = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(p), String::new()),
        })
        .collect();
    Fragment {
        tab: percent_decode(tab).to_ascii_lowercase(),
        pairs,
    }
}

/// A model decoded from a link, with everything that was wrong with the link.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded<M> {
    pub model: M,
    pub issues: Vec<ParamIssue>,
}

/// Reads a model's parameters from a fragment (its tab name is not checked here; the router
/// picks the model from it). Unknown versions use all defaults; bad fields use their default.
pub fn decode<M: ParamModel>(text: &str) -> Decoded<M> {
    decode_onto(M::default(), text)
}

/// Like [`decode`], but the link's values are applied on top of `model` (e.g. a preset) instead
/// of the defaults. With an unknown version `model` is returned unchanged.
pub fn decode_onto<M: ParamModel>(model: M, text: &str) -> Decoded<M> {
    let mut model = model;
    if text.len() > MAX_FRAGMENT_LEN {
        return Decoded {
            model,
            issues: vec![ParamIssue {
                field: "link".into(),
                message: format!(
                    "link: the link is {} characters long, more than the {} allowed; using the defaults",
                    text.len(),
                    MAX_FRAGMENT_LEN
                ),
            }],
        };
    }
    let frag = split(text);
    let mut issues = Vec::new();
    let mut pairs = Vec::with_capacity(frag.pairs.len());
    let mut version_ok = true;
    for (k, v) in frag.pairs {
        if k == "v" {
            if v.trim() != FORMAT_VERSION.to_string() {
                version_ok = false;
                issues.push(ParamIssue {
                    field: "v".into(),
                    message: format!(
                        "v: link format version '{}' is not supported; allowed {FORMAT_VERSION}; using the defaults for every parameter",
                        clip(&v)
                    ),
                });
            }
        } else if !M::VIEW_KEYS.contains(&k.as_str()) {
            pairs.push((k, v));
        }
    }
    if version_ok {
        issues.extend(apply_pairs(&mut model, &pairs));
    }
    Decoded { model, issues }
}

/// The fragment for a model: `#tab?non-default pairs&v=1`.
pub fn encode<M: ParamModel>(model: &M) -> String {
    let mut out = format!("#{}?", M::TAB);
    for (k, v) in model.non_default_pairs() {
        out.push_str(&percent_encode(&k));
        out.push('=');
        out.push_str(&percent_encode(&v));
        out.push('&');
    }
    out.push_str(&format!("v={FORMAT_VERSION}"));
    out
}

/// The value of view key `key` in a link (see [`ParamModel::VIEW_KEYS`]), if present.
pub fn view_value(text: &str, key: &str) -> Option<String> {
    split(text)
        .pairs
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// `fragment` (from [`encode`]) with view pairs added before the version.
pub fn with_view(fragment: &str, view: &[(&str, String)]) -> String {
    let tail = format!("v={FORMAT_VERSION}");
    let Some(head) = fragment.strip_suffix(&tail) else {
        return fragment.to_string();
    };
    let mut out = head.to_string();
    for (k, v) in view {
        out.push_str(&percent_encode(k));
        out.push('=');
        out.push_str(&percent_encode(v));
        out.push('&');
    }
    out.push_str(&tail);
    out
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.' | b'_' | b'~' | b',' | b'+' | b';' | b':' | b'*' | b'/'
        )
}

/// Percent-encodes everything but unreserved characters and `, + ; : * /`, which the formats use
/// (scenario lists) and a URL fragment allows as they are.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if is_unreserved(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; malformed escapes and invalid UTF-8 are kept or replaced, never fatal.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_reads_tab_and_pairs() {
        let f = split("#commons?kappa=3&exit_tribute=0.2&v=1");
        assert_eq!(f.tab, "commons");
        assert_eq!(
            f.pairs,
            vec![
                ("kappa".into(), "3".into()),
                ("exit_tribute".into(), "0.2".into()),
                ("v".into(), "1".into())
            ]
        );
        assert_eq!(split("kappa=3").pairs.len(), 1);
        assert_eq!(split("#commons").tab, "commons");
        assert_eq!(split("").pairs.len(), 0);
    }

    #[test]
    fn percent_codec_round_trips() {
        for s in ["a b", "ü&=?#%", "1e+6", "b100,s5", "%zz", "%", "%4"] {
            assert_eq!(percent_decode(&percent_encode(s)), s);
        }
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("a%20b"), "a b");
    }
}
