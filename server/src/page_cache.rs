//! Sends the public pages an anonymous visitor asks for from `app::page_cache` when a fresh
//! copy is kept, and keeps the ones rendered here. What may be kept and for how long is said
//! there; this layer decides which requests qualify and records a response as it is sent.
//!
//! It sits inside `security::security_headers`: the request already carries its nonce, which
//! a kept page is sent with, and the response gets its headers (the CSP naming that nonce,
//! `no-cache` for the browser) whichever way it was made.

use app::page_cache::{PageCache, PageKey};
use app::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{Method, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use futures::Stream;
use leptos::nonce::Nonce;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// The language cookie, the one cookie a kept page may be sent for.
const LANGUAGE_COOKIE: &str = "i18n_pref_locale";

/// Whether `path` is a page kept for anonymous visitors: home, the catalogue (its filters are
/// in the query, hence the key), a product's page and help.
pub fn is_public_page(path: &str) -> bool {
    match path {
        "/" | "/catalogue" | "/help" => true,
        _ => path
            .strip_prefix("/catalogue/")
            .is_some_and(|slug| !slug.is_empty() && !slug.contains('/')),
    }
}

/// The key of a request that may be answered from the cache: a GET of a public page with no
/// cookie but the language's (a session, a login's identifier, the test clock, or anything
/// unknown gets its own render).
fn key_of(request: &Request<Body>) -> Option<PageKey> {
    if request.method() != Method::GET || !is_public_page(request.uri().path()) {
        return None;
    }
    let headers = request.headers();
    let only_language = headers.get_all(header::COOKIE).iter().all(|value| {
        value
            .to_str()
            .is_ok_and(|value| cookie::Cookie::split_parse(value).all(|c| c.is_ok_and(|c| c.name() == LANGUAGE_COOKIE)))
    });
    if !only_language {
        return None;
    }
    let address = request.uri().path_and_query().map_or("/", |pq| pq.as_str());
    PageKey::new(address, app::request::locale_in(headers))
}

/// The middleware: a kept page when there is a fresh one, else the render, kept as it is sent.
pub async fn serve_public_pages(State(state): State<AppState>, request: Request<Body>, next: Next) -> Response {
    let cache = &state.pages;
    let nonce = request.extensions().get::<Nonce>().cloned();
    let (Some(key), Some(nonce), true) = (key_of(&request), nonce, cache.enabled()) else {
        return next.run(request).await;
    };
    if let Some(hit) = cache.get(&key, &nonce) {
        let mut response = Response::new(Body::from(hit.body));
        *response.headers_mut() = hit.headers;
        return response;
    }
    let generation = cache.generation();
    let response = next.run(request).await;
    let keepable = response.status() == StatusCode::OK
        && crate::security::is_html_page(&response)
        && !response.headers().contains_key(header::SET_COOKIE);
    if !keepable {
        return response;
    }
    let (parts, body) = response.into_parts();
    let recording = Recording {
        chunks: body.into_data_stream(),
        seen: Vec::new(),
        whole: Some(Whole {
            cache: state.pages.clone(),
            key,
            generation,
            headers: parts.headers.clone(),
            nonce,
        }),
    };
    Response::from_parts(parts, Body::from_stream(recording))
}

/// What a page's body is kept with once it has been sent to its end.
struct Whole {
    cache: Arc<PageCache>,
    key: PageKey,
    generation: u64,
    headers: axum::http::HeaderMap,
    nonce: Nonce,
}

/// A page's body passed on chunk by chunk and kept when it ends: a body cut short (an error,
/// a stalled render ended by `end_stalled_pages`, a client gone) is dropped before its end
/// and never kept, and neither is one past `MAX_PAGE_BYTES`.
struct Recording<S> {
    chunks: S,
    seen: Vec<u8>,
    whole: Option<Whole>,
}

impl<S> Stream for Recording<S>
where
    S: Stream<Item = Result<Bytes, axum::Error>> + Unpin,
{
    type Item = Result<Bytes, axum::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.chunks).poll_next(cx);
        match &polled {
            Poll::Ready(Some(Ok(chunk))) if this.whole.is_some() => {
                if this.seen.len() + chunk.len() > app::page_cache::MAX_PAGE_BYTES {
                    this.whole = None;
                    this.seen = Vec::new();
                } else {
                    this.seen.extend_from_slice(chunk);
                }
            }
            Poll::Ready(Some(Err(_))) => this.whole = None,
            Poll::Ready(None) => {
                if let Some(whole) = this.whole.take() {
                    whole
                        .cache
                        .put(whole.key, whole.generation, whole.headers, &this.seen, &whole.nonce);
                }
            }
            _ => {}
        }
        polled
    }
}
