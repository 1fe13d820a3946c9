//! When the outbox tries a message again: exponential backoff per message, then the dead
//! letter. Pure: the worker passes the attempt count and its settings.

use chrono::Duration;

/// Longest wait between two attempts at one message, however many failed.
pub const RETRY_CAP: Duration = Duration::hours(6);

/// What happens to a message after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try again once this long has passed.
    RetryIn(Duration),
    /// Give up: the message is a dead letter, shown to staff with its error.
    DeadLetter,
}

/// The fate of a message whose `attempts`-th attempt (1-based) just failed: a permanent
/// refusal (an address the mailer cannot parse, a 5xx SMTP reply) is a dead letter at once;
/// a transient one waits `base`, then twice as long each time (capped at [`RETRY_CAP`]),
/// until `max_attempts` attempts were made.
pub fn after_failure(attempts: i64, permanent: bool, max_attempts: i64, base: Duration) -> AfterFailure {
    if permanent || attempts >= max_attempts {
        return AfterFailure::DeadLetter;
    }
    // 2^(attempts-1), the exponent bounded so the multiplication cannot overflow.
    let exponent = u32::try_from(attempts.clamp(1, 31) - 1).unwrap_or(0);
    let delay = base.checked_mul(1_i32 << exponent).unwrap_or(RETRY_CAP);
    AfterFailure::RetryIn(delay.min(RETRY_CAP).max(Duration::zero()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_after_each_failure_up_to_the_cap() {
        let base = Duration::minutes(1);
        let waits: Vec<AfterFailure> = (1..=7).map(|n| after_failure(n, false, 8, base)).collect();
        let minutes = [1, 2, 4, 8, 16, 32, 64].map(|m| AfterFailure::RetryIn(Duration::minutes(m)));
        assert_eq!(waits, minutes);
        assert_eq!(
            after_failure(20, false, 30, base),
            AfterFailure::RetryIn(RETRY_CAP),
            "capped"
        );
        assert_eq!(after_failure(40, false, 100, base), AfterFailure::RetryIn(RETRY_CAP));
        assert_eq!(after_failure(0, false, 8, base), AfterFailure::RetryIn(base));
    }

    #[test]
    fn the_last_attempt_or_a_permanent_refusal_is_a_dead_letter() {
        let base = Duration::seconds(30);
        assert_eq!(
            after_failure(7, false, 8, base),
            AfterFailure::RetryIn(Duration::seconds(30 * 64))
        );
        assert_eq!(after_failure(8, false, 8, base), AfterFailure::DeadLetter);
        assert_eq!(after_failure(9, false, 8, base), AfterFailure::DeadLetter);
        assert_eq!(after_failure(1, true, 8, base), AfterFailure::DeadLetter);
    }
}
