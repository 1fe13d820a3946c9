//! How the site's own files (the WASM, its JS, the CSS, the favicon) are cached.
//!
//! The release build names every file under `pkg/` after its content
//! (`portal.<22-character hash>.wasm`, `hash-files` in `Cargo.toml`) and writes a brotli and a
//! gzip copy of each beside it (`scripts/setup.sh`, `precompress_site`), which `ServeDir`
//! sends as they are. A hashed name never changes content, so browsers may keep it for a year
//! without asking again; any other file is checked with the server on each use.

use axum::body::Body;
use axum::http::{HeaderValue, Request, header};
use axum::middleware::Next;
use axum::response::Response;

/// A year, and never revalidated: the name changes with the content.
const HASHED: &str = "public, max-age=31536000, immutable";
/// Kept, but checked (`Last-Modified`) before each use.
const UNHASHED: &str = "no-cache";

/// Sets `Cache-Control` and `Vary` on a file the site's folder answered.
pub async fn cache_site_files(request: Request<Body>, next: Next) -> Response {
    let hashed = is_hashed_name(request.uri().path());
    let mut response = next.run(request).await;
    let status = response.status();
    // The 404 page for unknown addresses comes through here too: it keeps its own headers.
    if !(status.is_success() || status == axum::http::StatusCode::NOT_MODIFIED) {
        return response;
    }
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if hashed { HASHED } else { UNHASHED }),
    );
    // The same address answers brotli, gzip or plain bytes by the request's Accept-Encoding.
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// Whether the last segment of `path` carries a content hash as cargo-leptos writes it: a dot,
/// 22 characters of URL-safe base64 (an MD5 digest), a dot. The placeholder an unhashed build
/// leaves (`__wasm_split.______________________.js`) is not a hash.
pub fn is_hashed_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts: Vec<&str> = name.split('.').collect();
    // Neither the stem nor the extension(s) at the end: only the parts in between.
    if parts.len() < 3 {
        return false;
    }
    parts.remove(0);
    parts.pop();
    parts.iter().any(|part| {
        part.len() == 22
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && part.bytes().any(|b| b != b'_')
    })
}

#[cfg(test)]
mod tests {
    use super::is_hashed_name;

    #[test]
    fn hashed_names_are_told_from_the_others() {
        for hashed in [
            "/pkg/portal.3hTnXb2kQ9nB1f0fZJ6gNw.wasm",
            "/pkg/portal.3hTnXb2kQ9nB1f0fZJ6gNw.js",
            "/pkg/chunk_10.Ab-_cdEFghIJklMNopQRst.wasm",
            "/pkg/__wasm_split.3hTnXb2kQ9nB1f0fZJ6gNw.js",
            "/pkg/split_staff_pages_15313125842745402010.3hTnXb2kQ9nB1f0fZJ6gNw.wasm",
        ] {
            assert!(is_hashed_name(hashed), "{hashed}");
        }
        for plain in [
            "/favicon.svg",
            "/pkg/portal.wasm",
            "/pkg/portal_bg.wasm",
            "/pkg/__wasm_split.______________________.js",
            "/pkg/split_staff_pages_15313125842745402010.wasm",
            "/pkg/3hTnXb2kQ9nB1f0fZJ6gNw.wasm",
            "/pkg/portal.3hTnXb2kQ9nB1f0fZJ6g.wasm",
            "/pkg/portal.3hTnXb2kQ9nB1f0fZJ6gN!.wasm",
            "/",
            "",
        ] {
            assert!(!is_hashed_name(plain), "{plain}");
        }
    }
}
