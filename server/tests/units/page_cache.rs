//! `app::page_cache` alone: the nonce swapped, the language checked, the bounds held.

use app::i18n::Locale;
use app::page_cache::{BUDGET_BYTES, MAX_ADDRESS_BYTES, MAX_PAGE_BYTES, PageCache, PageKey};
use axum::http::HeaderMap;
use leptos::nonce::Nonce;
use std::time::Duration;

fn key(address: &str) -> PageKey {
    PageKey::new(address, Locale::fr).expect("a short address")
}

/// A French page of `size` bytes (at least 100) with the nonce in two scripts.
fn page(nonce: &Nonce, size: usize) -> Vec<u8> {
    let head = format!("<!DOCTYPE html><html lang=\"fr\"><script nonce=\"{nonce}\">a</script>");
    let tail = format!("<script nonce=\"{nonce}\"></script>");
    let body = format!("{head}{}{tail}", "x".repeat(size - head.len() - tail.len()));
    assert_eq!(body.len(), size);
    body.into_bytes()
}

#[test]
fn a_kept_page_is_sent_with_the_new_nonce_in_every_place() {
    let cache = PageCache::new(Duration::from_secs(60));
    let rendered_with = Nonce::new();
    let body = page(&rendered_with, 1000);
    let mut headers = HeaderMap::new();
    headers.insert("content-type", "text/html; charset=utf-8".parse().unwrap());
    assert!(cache.put(key("/"), cache.generation(), headers, &body, &rendered_with));
    let sent_with = Nonce::new();
    let hit = cache.get(&key("/"), &sent_with).expect("kept");
    let expected = String::from_utf8(body).unwrap().replace(&*rendered_with, &sent_with);
    assert_eq!(std::str::from_utf8(&hit.body).unwrap(), expected);
    assert_eq!(expected.matches(&*sent_with).count(), 2);
    assert_eq!(hit.headers["content-type"], "text/html; charset=utf-8");
    // Another address, or the same in another language, is not that page.
    assert!(cache.get(&key("/help"), &sent_with).is_none());
    assert!(cache.get(&PageKey::new("/", Locale::nl).unwrap(), &sent_with).is_none());
}

#[test]
fn a_page_in_another_language_than_its_key_or_too_large_is_not_kept() {
    let cache = PageCache::new(Duration::from_secs(60));
    let nonce = Nonce::new();
    let dutch_key = PageKey::new("/", Locale::nl).unwrap();
    assert!(!cache.put(
        dutch_key,
        cache.generation(),
        HeaderMap::new(),
        &page(&nonce, 500),
        &nonce
    ));
    assert!(!cache.put(
        key("/"),
        cache.generation(),
        HeaderMap::new(),
        &page(&nonce, MAX_PAGE_BYTES + 1),
        &nonce
    ));
    assert!(cache.put(
        key("/"),
        cache.generation(),
        HeaderMap::new(),
        &page(&nonce, MAX_PAGE_BYTES),
        &nonce
    ));
    assert!(PageKey::new(&"/".repeat(MAX_ADDRESS_BYTES + 1), Locale::fr).is_none());
    // A cache of 0 seconds keeps nothing.
    let off = PageCache::new(Duration::ZERO);
    assert!(!off.enabled());
    assert!(!off.put(key("/"), off.generation(), HeaderMap::new(), &page(&nonce, 500), &nonce));
}

#[test]
fn the_least_recently_used_pages_leave_past_the_budget() {
    let cache = PageCache::new(Duration::from_secs(60));
    let nonce = Nonce::new();
    let size = 400 * 1024;
    let fits = BUDGET_BYTES / size;
    for i in 0..fits {
        assert!(cache.put(
            key(&format!("/catalogue?q={i}")),
            cache.generation(),
            HeaderMap::new(),
            &page(&nonce, size),
            &nonce
        ));
    }
    // The first is read again: the second is now the least recently used.
    assert!(cache.get(&key("/catalogue?q=0"), &nonce).is_some());
    assert!(cache.put(
        key("/catalogue?q=new"),
        cache.generation(),
        HeaderMap::new(),
        &page(&nonce, size),
        &nonce
    ));
    let (kept, bytes) = cache.size();
    assert_eq!(kept, fits);
    assert!(bytes <= BUDGET_BYTES);
    assert!(cache.get(&key("/catalogue?q=1"), &nonce).is_none());
    assert!(cache.get(&key("/catalogue?q=0"), &nonce).is_some());
    assert!(cache.get(&key("/catalogue?q=new"), &nonce).is_some());
    // Replacing a page counts its bytes once.
    assert!(cache.put(
        key("/catalogue?q=new"),
        cache.generation(),
        HeaderMap::new(),
        &page(&nonce, 1000),
        &nonce
    ));
    assert_eq!(cache.size().1, bytes - size + 1000);
    cache.clear();
    assert_eq!(cache.size(), (0, 0));
}

#[test]
fn a_page_expires_after_its_time() {
    let cache = PageCache::new(Duration::from_millis(50));
    let nonce = Nonce::new();
    assert!(cache.put(
        key("/"),
        cache.generation(),
        HeaderMap::new(),
        &page(&nonce, 500),
        &nonce
    ));
    assert!(cache.get(&key("/"), &nonce).is_some());
    std::thread::sleep(Duration::from_millis(60));
    assert!(cache.get(&key("/"), &nonce).is_none());
    assert_eq!(cache.size(), (0, 0), "an expired page gives its bytes back");
}
