//! AWS: every line names the organisation's account, by id and by name.

use super::judgement::refuse;
use crate::quota::model::{CartLine, LineVerdict, Rule};

/// A line without both the account's id and name is refused.
pub(super) fn judge_line(line: &CartLine) -> Option<LineVerdict> {
    let named = line
        .aws_account
        .as_ref()
        .is_some_and(|(id, name)| !id.trim().is_empty() && !name.trim().is_empty());
    (line.product.partner_id == "aws" && !named).then(|| refuse(Rule::AwsAccount, 0, i64::from(line.quantity), 0, None))
}
