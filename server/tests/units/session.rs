//! Session tokens and password hashing (`app::auth::session`).
//! Moved from `app/src/auth/session.rs`'s unit tests.

use app::auth::session::{hash_password, hash_token, new_token, verify_password, with_argon2_slot};

#[test]
fn tokens_are_random_and_only_their_hash_is_kept() {
    let (a, hash_a) = new_token();
    let (b, _) = new_token();
    assert_ne!(a, b);
    assert_eq!(a.len(), 43, "32 bytes in unpadded base64url");
    assert_eq!(hash_a, hash_token(&a));
    assert_eq!(hash_a.len(), 64);
    assert!(!hash_a.contains(&a));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn argon2_work_never_runs_in_more_than_its_slots_at_once() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static RUNNING: AtomicUsize = AtomicUsize::new(0);
    static PEAK: AtomicUsize = AtomicUsize::new(0);
    let slots = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    let burst = slots * 4;
    let tasks: Vec<_> = (0..burst)
        .map(|_| {
            tokio::spawn(with_argon2_slot(|| {
                let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
                PEAK.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(20));
                RUNNING.fetch_sub(1, Ordering::SeqCst);
            }))
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let peak = PEAK.load(Ordering::SeqCst);
    assert!(peak >= 1 && peak <= slots, "{peak} at once for {slots} slots");
}

#[tokio::test]
async fn passwords_verify_only_against_their_own_hash() {
    let hash = hash_password("correct horse battery".into()).await.unwrap();
    assert!(hash.starts_with("$argon2id$"));
    assert!(
        verify_password("correct horse battery".into(), Some(hash.clone()))
            .await
            .unwrap()
    );
    assert!(!verify_password("wrong horse battery".into(), Some(hash)).await.unwrap());
    assert!(
        !verify_password("no account has this password".into(), None)
            .await
            .unwrap()
    );
}
