//! Pages rendered whole before they are sent (`SsrMode::Async`: the catalogue and a product's
//! page, which must read right without JavaScript), each rendered again when a render has
//! not finished in time.
//!
//! Leptos 0.8 can still leave a page's render waiting for a wake-up that never comes (see
//! SECURITY.md, known gaps). A streamed page that stops moving is ended by
//! `end_stalled_pages` with what it sent; a page rendered whole has sent nothing, and its
//! visitor waited for the 30 s request timeout and got a 408. Here the render is given
//! `HTTP_WHOLE_PAGE_RENDER_MS` (8 s); past it, it is dropped, logged, counted in
//! `AppState::whole_pages_rendered_again`, and the page rendered again under the same
//! deadline, [`RENDERS_PER_REQUEST`] renders at most: the last is waited for (the request
//! timeout still applies). A second render, too, had not finished within the request timeout
//! once in six PostgreSQL test suites here (cause not found), and its visitor got the 408.
//! Only GET routes go through here: a render read nothing from the request body, so it can
//! be repeated. At most [`SECOND_RENDERS_AT_ONCE`] requests render again at once: past them
//! the first render is waited for, so an overloaded server (every render slow, not stalled)
//! does not multiply its work.

use app::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::Request;
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::AxumRouteListing;
use leptos_router::SsrMode;
use std::sync::atomic::Ordering;

/// Requests rendering a page again at once, per instance (`AppState::whole_page_second_renders`).
pub const SECOND_RENDERS_AT_ONCE: usize = 4;

/// Renders of one request at most: each past the deadline is dropped, the last waited for.
pub const RENDERS_PER_REQUEST: usize = 3;

/// Splits Leptos' route list into the pages rendered whole and the others.
pub fn split(routes: Vec<AxumRouteListing>) -> (Vec<AxumRouteListing>, Vec<AxumRouteListing>) {
    routes
        .into_iter()
        .partition(|route| matches!(route.mode(), SsrMode::Async))
}

/// The GET routes of `pages`, each rendering `app` whole in `context`, as Leptos' own routes
/// would, with the second chance described above.
pub fn routes<IV>(
    pages: &[AxumRouteListing],
    context: impl Fn() + Clone + Send + Sync + 'static,
    app: impl Fn() -> IV + Clone + Send + Sync + 'static,
) -> Router<AppState>
where
    IV: IntoView + 'static,
{
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(leptos_router::Method::Get);
            context();
        },
        app,
    );
    pages.iter().fold(Router::new(), |router, page| {
        let render = render.clone();
        router.route(
            page.path(),
            get(
                move |State(state): State<AppState>, request: Request<Body>| async move {
                    let (parts, _) = request.into_parts();
                    let deadline = state.config.http.whole_page_deadline;
                    let render_once = || render(Request::from_parts(parts.clone(), Body::empty()));
                    let mut current = render_once();
                    let mut permit = None;
                    for renders in 1..RENDERS_PER_REQUEST {
                        if let Ok(response) = tokio::time::timeout(deadline, &mut current).await {
                            return response;
                        }
                        if permit.is_none() {
                            match state.whole_page_second_renders.clone().try_acquire_owned() {
                                Ok(taken) => permit = Some(taken),
                                // Every permit taken: this render is waited for, as it is.
                                Err(_) => return current.await,
                            }
                        }
                        drop(current);
                        state.whole_pages_rendered_again.fetch_add(1, Ordering::Relaxed);
                        tracing::error!(
                            path = %parts.uri.path(),
                            "render {renders} of a page rendered whole had not finished after {deadline:?}: rendered again"
                        );
                        // The dropped render's root owner is still the thread's current one
                        // here; the next starts from none, as a request does.
                        if let Some(dropped) = Owner::current() {
                            dropped.unset();
                        }
                        current = render_once();
                    }
                    current.await
                },
            ),
        )
    })
}
