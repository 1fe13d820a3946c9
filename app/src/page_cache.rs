//! Public pages kept rendered for a few seconds: home, the catalogue, a product's page and
//! help, as an anonymous visitor gets them in one language.
//!
//! These pages are the same for every visitor without a session, and they are the most
//! visited. Rendered on every request they serve 0.16 to 0.54 of what bare handlers reading
//! the same rows serve (`render.*` in `bench/run.sh`, BENCHMARKS.md); kept for
//! `PAGE_CACHE_SECONDS` (5 by default, 0 renders every time), a page is rendered once per
//! period and sent many times.
//!
//! What a kept page may differ in from a fresh one, and how each is held:
//! - **The CSP nonce**: each response has its own ([`Nonce`]). The page is kept cut at every
//!   occurrence of the nonce it was rendered with, and sent joined with the new one.
//! - **The language**: the key holds the language the visitor's cookie or `Accept-Language`
//!   resolves to (the page renders in it), and a page whose `<html lang>` says another is not
//!   kept.
//! - **The content**: staff changes to products, partners, families, rule versions and help
//!   answers call [`PageCache::clear`] once committed; a render that began before the change
//!   is not kept. Another instance's change (several instances on PostgreSQL) is seen once its
//!   pages expire: at most `PAGE_CACHE_SECONDS` later. So are the home counters, which are cached for longer anyway
//!   (`home::cache`).
//!
//! Only a request with no cookie other than the language's is served from here (the server's
//! `page_cache` layer decides); a session, a login's identifier or the test clock always gets
//! its own render. The memory is bounded: [`MAX_PAGE_BYTES`] per page, [`BUDGET_BYTES`] in
//! all, the least recently used page leaving first.

use crate::i18n::Locale;
use axum::body::Bytes;
use axum::http::HeaderMap;
use leptos::nonce::Nonce;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The largest page kept (the catalogue is about 30 KB).
pub const MAX_PAGE_BYTES: usize = 512 * 1024;

/// All the kept pages together, at most.
pub const BUDGET_BYTES: usize = 16 * 1024 * 1024;

/// The longest address (path and query) kept: a longer one is rendered every time.
pub const MAX_ADDRESS_BYTES: usize = 512;

/// What a kept page is found by: the address as asked (path and query) and the language.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    address: String,
    locale: &'static str,
}

impl PageKey {
    /// The key of `address` in `locale`, or none for an address too long to keep.
    pub fn new(address: &str, locale: Locale) -> Option<Self> {
        use leptos_i18n::Locale as _;
        (address.len() <= MAX_ADDRESS_BYTES).then(|| Self {
            address: address.to_owned(),
            locale: locale.as_str(),
        })
    }
}

/// A rendered page: its headers, and its body cut where its nonce was.
struct Page {
    stored_at: Instant,
    headers: HeaderMap,
    pieces: Vec<Bytes>,
    nonce_len: usize,
    bytes: usize,
}

/// The pages kept, with the generation that [`PageCache::clear`] moves on.
struct Kept {
    pages: lru::LruCache<PageKey, std::sync::Arc<Page>>,
    bytes: usize,
    generation: u64,
}

/// This instance's kept pages (`AppState::pages`).
pub struct PageCache {
    ttl: Duration,
    kept: Mutex<Kept>,
}

/// A page ready to send: its headers and its whole body with the new nonce.
pub struct Hit {
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl PageCache {
    /// A cache keeping each page for `ttl`; a zero `ttl` keeps none.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            kept: Mutex::new(Kept {
                pages: lru::LruCache::unbounded(),
                bytes: 0,
                generation: 0,
            }),
        }
    }

    /// Whether pages are kept at all (`PAGE_CACHE_SECONDS` is not 0).
    pub fn enabled(&self) -> bool {
        !self.ttl.is_zero()
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        // A panic while the lock was held leaves a consistent map (every change is one call).
        self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The page kept under `key`, if still fresh, with `nonce` in place of the one it was
    /// rendered with.
    pub fn get(&self, key: &PageKey, nonce: &Nonce) -> Option<Hit> {
        let page = {
            let mut kept = self.kept();
            let page = kept.pages.get(key)?.clone();
            if page.stored_at.elapsed() >= self.ttl {
                kept.pages.pop(key);
                kept.bytes -= page.bytes;
                return None;
            }
            page
        };
        let nonce = nonce.as_inner().as_bytes();
        let cuts = page.pieces.len() - 1;
        let mut body = Vec::with_capacity(page.bytes - page.nonce_len * cuts + nonce.len() * cuts);
        for (i, piece) in page.pieces.iter().enumerate() {
            if i > 0 {
                body.extend_from_slice(nonce);
            }
            body.extend_from_slice(piece);
        }
        Some(Hit {
            headers: page.headers.clone(),
            body: body.into(),
        })
    }

    /// The current generation: take it before rendering, give it to [`PageCache::put`].
    pub fn generation(&self) -> u64 {
        self.kept().generation
    }

    /// Keeps `body`, rendered in `locale` with `nonce` since `generation`, under `key`. Not
    /// kept: a page rendered before the last [`PageCache::clear`], one larger than
    /// [`MAX_PAGE_BYTES`], or one whose `<html lang>` is not the key's language.
    pub fn put(&self, key: PageKey, generation: u64, headers: HeaderMap, body: &[u8], nonce: &Nonce) -> bool {
        if !self.enabled() || body.len() > MAX_PAGE_BYTES || !renders_language(body, key.locale) {
            return false;
        }
        let nonce = nonce.as_inner().as_bytes();
        let pieces: Vec<Bytes> = split_at(body, nonce).into_iter().map(Bytes::copy_from_slice).collect();
        let page = Page {
            stored_at: Instant::now(),
            headers,
            pieces,
            nonce_len: nonce.len(),
            bytes: body.len(),
        };
        let mut kept = self.kept();
        if kept.generation != generation {
            return false;
        }
        if let Some(previous) = kept.pages.put(key, std::sync::Arc::new(page)) {
            kept.bytes -= previous.bytes;
        }
        kept.bytes += body.len();
        while kept.bytes > BUDGET_BYTES {
            match kept.pages.pop_lru() {
                Some((_, evicted)) => kept.bytes -= evicted.bytes,
                None => break,
            }
        }
        true
    }

    /// Forgets every kept page, and any render under way: called once a change to what the
    /// public pages show is committed.
    pub fn clear(&self) {
        let mut kept = self.kept();
        kept.pages.clear();
        kept.bytes = 0;
        kept.generation += 1;
    }

    /// Pages kept and their bytes (tests and logs).
    pub fn size(&self) -> (usize, usize) {
        let kept = self.kept();
        (kept.pages.len(), kept.bytes)
    }
}

/// `body` cut at every occurrence of `needle` (which is left out).
fn split_at<'a>(body: &'a [u8], needle: &[u8]) -> Vec<&'a [u8]> {
    if needle.is_empty() {
        return vec![body];
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    for at in memchr::memmem::find_iter(body, needle) {
        pieces.push(&body[start..at]);
        start = at + needle.len();
    }
    pieces.push(&body[start..]);
    pieces
}

/// Whether the document's `<html>` element says `locale` (within its first bytes).
fn renders_language(body: &[u8], locale: &str) -> bool {
    let head = &body[..body.len().min(256)];
    memchr::memmem::find(head, format!("<html lang=\"{locale}\"").as_bytes()).is_some()
}
