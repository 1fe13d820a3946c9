//! Each request's reactive owner stays the request's own.
//!
//! Leptos keeps "the current reactive owner" in a thread-local. A page render makes its root
//! owner current (`Owner::new_root`) and leaves it there; a server function call creates its
//! owner with `Owner::new()`, a child of whatever owner is current; `provide_context` and
//! `use_context` outside a scoped future read the same thread-local. A tokio worker thread
//! polls many requests' tasks in turn, so a request could find the owner another request had
//! left on the thread: a server function's owner became a child of some page's owner (its
//! context lookups could reach that page's contexts, and the page's end disposed it), and a
//! page resumed after another request with that request's owner current
//! (`units::isolation` shows both directions on one thread).
//!
//! [`isolate_reactive_owner`] gives each request its own view of that thread-local: every
//! poll of the request's handler and of its response body starts with the owner this request
//! left at its previous poll (none at the first), and gives the thread back the owner it had.
//! A request sees what it would see alone on its thread, and leaves nothing to the others.

use axum::{body::Body, extract::Request, middleware::Next, response::Response};
use hyper::body::{Body as HttpBody, Bytes, Frame, SizeHint};
use leptos::prelude::Owner;
use std::{
    pin::Pin,
    sync::{Arc, Mutex},
    task::{Context, Poll},
};

/// The reactive owner a request left current at the end of its last poll.
#[derive(Clone, Default)]
struct OwnerSlot(Arc<Mutex<Option<Owner>>>);

impl OwnerSlot {
    /// Runs `poll` with this request's owner current, then gives the thread back its own.
    fn poll<T>(&self, poll: impl FnOnce() -> T) -> T {
        let mut slot = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let thread = Owner::current();
        make_current(slot.clone());
        let result = poll();
        *slot = Owner::current();
        make_current(thread);
        result
    }
}

/// Makes `owner` the thread's current owner, or leaves the thread with none.
fn make_current(owner: Option<Owner>) {
    match owner {
        Some(owner) => owner.set(),
        None => {
            if let Some(current) = Owner::current() {
                current.unset();
            }
        }
    }
}

/// Runs the request, and then its response body, in its own reactive owner (see the module).
pub async fn isolate_reactive_owner(request: Request, next: Next) -> Response {
    let slot = OwnerSlot::default();
    let mut handler = std::pin::pin!(next.run(request));
    let response = futures::future::poll_fn(|cx| slot.poll(|| handler.as_mut().poll(cx))).await;
    response.map(|inner| Body::new(IsolatedBody { slot, inner }))
}

/// A response body polled in its request's own reactive owner.
struct IsolatedBody {
    slot: OwnerSlot,
    inner: Body,
}

impl HttpBody for IsolatedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        let inner = &mut this.inner;
        this.slot.poll(|| Pin::new(inner).poll_frame(cx))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
