//! Escaping user strings for HTML text and attribute values, anchors, and safe links.
//!
//! A string from the view reaches the page as a [`Text`], whose `Display` escapes it: in
//! `write!(out, "<td>{}</td>", Text(&name))` the type says the name is escaped.

use std::fmt;

/// A string from the view, written escaped for HTML text or a quoted attribute value: its
/// `Display` writes what [`push_escaped`] appends.
#[derive(Debug, Clone, Copy)]
pub struct Text<'a>(pub &'a str);

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, self.0)
    }
}

/// Appends `s` escaped for HTML text or a double- or single-quoted attribute value.
///
/// Besides the five markup characters, characters that HTML forbids or that could change how
/// the surrounding text reads are made visible as `[U+XXXX]` instead of passed on: C0
/// controls other than tab and line feed (so NUL shows as `[U+0000]`, ESC as `[U+001B]`),
/// DEL, C1 controls, Unicode noncharacters, and the bidirectional embeddings, overrides and
/// isolates (U+202A–U+202E, U+2066–U+2069), which can make a name or a grade display
/// reversed or hide part of it. The marks U+200E and U+200F, which do not reorder text by
/// themselves, are kept.
pub fn push_escaped(out: &mut String, s: &str) {
    // Writing to a `String` cannot fail.
    let _ = write_escaped(out, s);
}

/// Writes `s` escaped as [`push_escaped`] describes.
fn write_escaped(out: &mut impl fmt::Write, s: &str) -> fmt::Result {
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let rep: Option<Rep> = match c {
            '&' => Some(Rep::Str("&amp;")),
            '<' => Some(Rep::Str("&lt;")),
            '>' => Some(Rep::Str("&gt;")),
            '"' => Some(Rep::Str("&quot;")),
            '\'' => Some(Rep::Str("&#39;")),
            '\t' | '\n' => None,
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => Some(Rep::Code(c as u32)),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => Some(Rep::Code(c as u32)),
            _ if is_noncharacter(c) => Some(Rep::Code(c as u32)),
            _ => None,
        };
        if let Some(rep) = rep {
            out.write_str(&s[start..i])?;
            match rep {
                Rep::Str(r) => out.write_str(r)?,
                Rep::Code(n) => write!(out, "[U+{n:04X}]")?,
            }
            start = i + c.len_utf8();
        }
    }
    out.write_str(&s[start..])
}

enum Rep {
    Str(&'static str),
    Code(u32),
}

fn is_noncharacter(c: char) -> bool {
    let n = c as u32;
    (0xfdd0..=0xfdef).contains(&n) || (n & 0xfffe) == 0xfffe
}

/// `s` escaped, as a new string.
pub fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s);
    out
}

/// An anchor id made of `prefix` and an injective encoding of `id` that uses only ASCII
/// letters, digits, `-`, `.` and `_`: other bytes (and `_` itself) are written `_xx` in hex.
/// The result needs no escaping in an attribute or after `#` in a link.
pub fn anchor(prefix: &str, id: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + id.len());
    out.push_str(prefix);
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'.' {
            out.push(b as char);
        } else {
            use std::fmt::Write;
            let _ = write!(out, "_{b:02x}");
        }
    }
    out
}

/// Whether `url` may be linked: an absolute `http:` or `https:` address with no whitespace,
/// controls, quotes, angle brackets, backslashes or bidirectional controls, under 2,048 bytes.
/// Anything else (`javascript:`, `data:`, `file:`, relative paths) is shown only as text.
pub fn linkable(url: &str) -> bool {
    let b = url.as_bytes();
    let scheme = if b.len() >= 7 && b[..7].eq_ignore_ascii_case(b"http://") {
        7
    } else if b.len() >= 8 && b[..8].eq_ignore_ascii_case(b"https://") {
        8
    } else {
        return false;
    };
    url.len() > scheme
        && url.len() < 2048
        && !url.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escaped(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }

    #[test]
    fn text_displays_what_push_escaped_appends() {
        for s in [
            "",
            "plain",
            "a<b>&\"c'",
            "x\u{0}\u{202e}y\u{ffff}\t\n",
            "шлях/é",
        ] {
            assert_eq!(Text(s).to_string(), escaped(s));
        }
        assert_eq!(format!("<td>{}</td>", Text("<i>")), "<td>&lt;i&gt;</td>");
    }

    #[test]
    fn controls_and_bidi_are_made_visible() {
        assert_eq!(
            escaped("a\u{0}b\u{1b}c\rd\te\nf"),
            "a[U+0000]b[U+001B]c[U+000D]d\te\nf"
        );
        assert_eq!(
            escaped("x\u{7f}\u{85}\u{ffff}\u{fdd0}"),
            "x[U+007F][U+0085][U+FFFF][U+FDD0]"
        );
        assert_eq!(escaped("abc\u{202e}fed"), "abc[U+202E]fed");
        assert_eq!(escaped("\u{2067}x\u{2069}"), "[U+2067]x[U+2069]");
        assert_eq!(escaped("שלום\u{200f}"), "שלום\u{200f}");
    }

    #[test]
    fn anchors_are_injective_and_plain() {
        assert_eq!(anchor("a-", "leeds-2009"), "a-leeds-2009");
        assert_eq!(anchor("a-", "a_b"), "a-a_5fb");
        assert_eq!(anchor("a-", "a b"), "a-a_20b");
        assert_ne!(anchor("a-", "a_20b"), anchor("a-", "a b"));
        assert_eq!(anchor("a-", "é"), "a-_c3_a9");
    }

    #[test]
    fn only_http_links() {
        assert!(linkable("https://www.gov.uk/x?a=1&b=2"));
        assert!(linkable("HTTP://example.org"));
        assert!(!linkable("javascript:alert(1)"));
        assert!(!linkable(" https://example.org"));
        assert!(!linkable("https://"));
        assert!(!linkable("https://a\"onmouseover=x"));
        assert!(!linkable("data:text/html,hi"));
        assert!(!linkable("file:///etc/passwd"));
        assert!(!linkable("//example.org"));
        assert!(linkable("http://é.example"));
    }
}
