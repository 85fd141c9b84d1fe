//! The hashes of the inline style and script in the page's Content-Security-Policy (so the
//! browser runs only the page's own script and style, and loads nothing from anywhere, even if
//! some string escaped the escaping): SHA-256 by `sha2`, base64 by `base64`.

use base64::Engine as _;
use sha2::{Digest as _, Sha256};

/// A CSP source expression for inline content: `'sha256-…'`.
pub fn hash_source(content: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known digests, in the form browsers compare: the SHA-256 of "" and of "abc", base64.
    #[test]
    fn known_sources() {
        assert_eq!(
            hash_source(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
        assert_eq!(
            hash_source("abc"),
            "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='"
        );
    }
}
