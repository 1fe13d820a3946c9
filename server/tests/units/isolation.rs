//! Two requests on one thread, each with its own reactive owner (`server::isolation`).
//!
//! A Leptos page or server function call makes its owner the thread's current one and leaves
//! it there; the next request polled on that thread used to find it. Here request A makes its
//! owner current, provides a context and waits; request B, polled meanwhile on the same
//! thread, does the same; then A reads its context again.

use axum::{Router, body::Body, http::Request, routing::get};
use leptos::prelude::{Owner, provide_context, use_context};
use std::sync::{Arc, Mutex};
use tokio::sync::{Notify, oneshot};
use tower::ServiceExt;

#[derive(Clone, Debug)]
struct Tag(&'static str);

/// What the current owner's context says, as a response body.
fn seen() -> String {
    use_context::<Tag>().map_or("nothing".to_owned(), |tag| tag.0.to_owned())
}

/// A router whose `/a` waits for `release` before answering, and whose `/b` answers at once;
/// each first says what it finds, then makes a root owner current and provides its tag.
fn router(isolated: bool, a_ready: Arc<Notify>, release: Arc<Mutex<Option<oneshot::Receiver<()>>>>) -> Router {
    let router = Router::new()
        .route(
            "/a",
            get(move || async move {
                let before = seen();
                let _root = Owner::new_root(None);
                provide_context(Tag("A"));
                a_ready.notify_one();
                let wait = release.lock().expect("the release slot").take().expect("one request A");
                wait.await.expect("released");
                format!("{before} then {}", seen())
            }),
        )
        .route(
            "/b",
            get(|| async {
                let before = seen();
                let root = Owner::new_root(None);
                provide_context(Tag("B"));
                // Leaves its owner current, as a page render does, until it is dropped.
                std::mem::forget(root);
                before
            }),
        );
    if isolated {
        router.layer(axum::middleware::from_fn(server::isolation::isolate_reactive_owner))
    } else {
        router
    }
}

/// A's body and B's body, with B sent while A waits.
async fn interleave(isolated: bool) -> (String, String) {
    let a_ready = Arc::new(Notify::new());
    let (release_tx, release_rx) = oneshot::channel();
    let app = router(isolated, Arc::clone(&a_ready), Arc::new(Mutex::new(Some(release_rx))));
    let a = tokio::spawn(
        app.clone()
            .oneshot(Request::get("/a").body(Body::empty()).expect("a request")),
    );
    a_ready.notified().await;
    let b = app
        .oneshot(Request::get("/b").body(Body::empty()).expect("a request"))
        .await
        .expect("the router answers");
    release_tx.send(()).expect("A waits");
    let a = a.await.expect("request A ends").expect("the router answers");
    let text = |response: axum::response::Response| async {
        String::from_utf8(
            axum::body::to_bytes(response.into_body(), 1024)
                .await
                .expect("a body")
                .to_vec(),
        )
        .expect("UTF-8")
    };
    (text(a).await, text(b).await)
}

#[tokio::test]
async fn a_request_never_sees_the_reactive_owner_another_request_left_on_its_thread() {
    // The layer's reason: without it, B finds A's context, and A then finds B's.
    let (a, b) = interleave(false).await;
    assert_eq!(
        (a.as_str(), b.as_str()),
        ("nothing then B", "A"),
        "the leak this layer exists for"
    );

    let (a, b) = interleave(true).await;
    assert_eq!(b, "nothing", "B sees no owner of A's");
    assert_eq!(a, "nothing then A", "A keeps its own owner across B's request");
}
