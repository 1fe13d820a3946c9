//! Text made safe for a URL.

/// `text` percent-encoded byte by byte, leaving only ASCII letters, digits, `.`, `-` and `_`
/// as they are: a search term in a query string, a file name in `filename*` (RFC 5987).
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
