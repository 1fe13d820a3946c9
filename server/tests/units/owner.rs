//! The reactive owner tree under concurrency: a context lookup racing the disposal of the owner
//! it walks through (third_party/reactive_graph, a patched reactive_graph 0.2.16).
//!
//! A resource's fetcher that calls `use_context` walks its owner's ancestors while holding a
//! read lock on its own owner. In reactive_graph 0.2.16 the walk keeps each ancestor alive with
//! a temporary strong reference; when the page's owner was disposed meanwhile (the page ended,
//! its client hung up), that temporary reference was the last one, and dropping it ran the
//! ancestor's cleanup, which takes the write lock of every descendant, the caller's own owner
//! included: the thread deadlocked on itself. Seen in `resilience::` (a tokio worker stuck for
//! good in `app::state::app_state`, the server unable to stop).

use leptos::prelude::{Owner, provide_context, use_context};
use std::sync::mpsc;
use std::time::Duration;

#[derive(Clone)]
struct Marker;

#[test]
fn a_context_lookup_survives_the_disposal_of_the_owner_it_walks_through() {
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || {
        // Another thread drops each middle owner while this one looks up through it.
        let (drop_tx, drop_rx) = mpsc::channel::<Owner>();
        let dropper = std::thread::spawn(move || drop_rx.into_iter().for_each(drop));
        let root = Owner::new_root(None);
        let mut lookups = 0u64;
        for _ in 0..2_000 {
            let (middle, leaf) = root.with(|| {
                provide_context(Marker);
                let middle = Owner::new();
                let leaf = middle.with(Owner::new);
                (middle, leaf)
            });
            drop_tx.send(middle).expect("the dropping thread runs");
            // Until the middle owner is gone the lookup finds the root's context through it.
            while leaf.with(use_context::<Marker>).is_some() {
                lookups += 1;
            }
        }
        drop(drop_tx);
        dropper.join().expect("the dropping thread ends");
        done_tx.send(lookups).expect("the test waits");
    });
    let lookups = done_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("a context lookup deadlocked while its ancestor was disposed");
    assert!(lookups > 0, "the lookups must have raced the disposals");
}
