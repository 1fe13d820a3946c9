//! The verdicts and allowances [`check`](super::check) builds up, one partner after another.

use crate::quota::model::{Allowance, LineVerdict, Rule, Verdict};
use chrono::NaiveDate;

/// The verdicts settled so far (the first rule a line breaks wins) and the allowances.
pub(super) struct Judgement {
    verdicts: Vec<Option<LineVerdict>>,
    allowances: Vec<Allowance>,
}

impl Judgement {
    pub(super) fn new(lines: usize) -> Self {
        Judgement {
            verdicts: vec![None; lines],
            allowances: Vec::new(),
        }
    }

    /// Gives line `index` its verdict, unless an earlier rule already settled it.
    pub(super) fn settle(&mut self, index: usize, verdict: LineVerdict) {
        if self.verdicts[index].is_none() {
            self.verdicts[index] = Some(verdict);
        }
    }

    pub(super) fn allow(&mut self, allowance: Allowance) {
        self.allowances.push(allowance);
    }

    /// Every line no rule refused is accepted.
    pub(super) fn into_verdict(self) -> Verdict {
        Verdict {
            lines: self
                .verdicts
                .into_iter()
                .map(|v| v.unwrap_or(LineVerdict::Accepted))
                .collect(),
            allowances: self.allowances,
        }
    }
}

pub(super) fn refuse(
    rule: Rule,
    used: i64,
    requested: i64,
    limit: i64,
    allowed_from: Option<NaiveDate>,
) -> LineVerdict {
    LineVerdict::Refused {
        rule,
        used,
        requested,
        limit,
        allowed_from,
    }
}
