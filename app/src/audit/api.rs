//! The audit trail's server function (staff: admin and agent).

use crate::audit::model::{AuditFilter, AuditPage};
use crate::error::AppError;
use leptos::prelude::*;

/// A page of the audit trail matching `filter`, newest first. Staff only.
#[server(prefix = "/api", endpoint = "audit_trail")]
pub async fn audit_trail(filter: AuditFilter) -> Result<AuditPage, AppError> {
    use crate::audit::model::AUDIT_PAGE_SIZE;
    let result = async {
        let (state, _staff) = crate::auth::session::require_staff().await?;
        let criteria = criteria(&filter)?;
        let page = filter.page.max(1);
        let offset = i64::from(page - 1) * i64::from(AUDIT_PAGE_SIZE);
        let total = crate::audit::db::count(&state.db, &criteria).await?;
        let entries =
            crate::audit::db::entries(&state.db, &criteria, i64::from(AUDIT_PAGE_SIZE), offset, false).await?;
        let (actions, entity_types) = crate::audit::db::vocabulary(&state.db).await?;
        Ok(AuditPage {
            entries,
            page,
            per_page: AUDIT_PAGE_SIZE,
            total,
            actions,
            entity_types,
        })
    }
    .await;
    crate::error::with_status(result)
}

/// Checks staff's filter: dates are real days (and `from` is not after `to`), texts are at
/// most [`crate::audit::model::AUDIT_TEXT_MAX`] characters. Every refused field is named.
#[cfg(feature = "ssr")]
pub fn criteria(filter: &AuditFilter) -> Result<crate::audit::db::Criteria, AppError> {
    use crate::audit::model::AUDIT_TEXT_MAX;
    use crate::error::FieldErrors;
    use chrono::{Duration, NaiveDate};
    let mut errors = FieldErrors::new();
    let mut refuse = |field: &str, code: &str| {
        errors.insert(field.to_owned(), vec![code.to_owned()]);
    };
    let text = |value: &str| {
        let value = value.trim();
        (!value.is_empty()).then(|| value.to_owned())
    };
    for (field, value) in [("q", &filter.q), ("actor", &filter.actor)] {
        if value.chars().count() > AUDIT_TEXT_MAX {
            refuse(field, "too_long");
        }
    }
    let day = |value: &str| -> Result<Option<NaiveDate>, ()> {
        match text(value) {
            None => Ok(None),
            Some(day) => NaiveDate::parse_from_str(&day, "%Y-%m-%d").map(Some).map_err(|_| ()),
        }
    };
    let from = day(&filter.from).unwrap_or_else(|()| {
        refuse("from", "date_invalid");
        None
    });
    let to = day(&filter.to).unwrap_or_else(|()| {
        refuse("to", "date_invalid");
        None
    });
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        refuse("to", "date_before_start");
    }
    if !errors.is_empty() {
        return Err(AppError::Validation { fields: errors });
    }
    let midnight = domain::calendar::business_day_start;
    Ok(crate::audit::db::Criteria {
        words: filter
            .q
            .to_lowercase()
            .split_whitespace()
            .take(8)
            .map(str::to_owned)
            .collect(),
        action: text(&filter.action),
        entity_type: text(&filter.entity_type),
        actor: text(&filter.actor).map(|a| a.to_lowercase()),
        since: from.map(midnight),
        until: to.and_then(|to| to.checked_add_signed(Duration::days(1))).map(midnight),
    })
}
