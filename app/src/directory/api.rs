//! Server functions of the organisation directory and the 360 page. Staff only (agents and
//! admins): both read every organisation's data.

use crate::directory::model::{DirectoryListing, DirectoryQuery, OrganisationOverview};
use crate::error::AppError;
use leptos::prelude::*;

/// A filter value: trimmed, `None` when empty.
#[cfg(feature = "ssr")]
fn chosen(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Checks the search and filters into the criteria of the query, field by field.
#[cfg(feature = "ssr")]
fn criteria(query: &DirectoryQuery) -> Result<crate::directory::db::Criteria, AppError> {
    use crate::org::model::{Country, EligibilityStatus};
    use domain::directory::rules::MAX_QUERY_CHARS;
    use domain::invoice::VatStatus;
    let mut errors = domain::FieldErrors::new();
    let mut criteria = crate::directory::db::Criteria::default();
    if chosen(&query.q).is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS) {
        errors.insert("q".into(), vec!["too_long".into()]);
    }
    if let Some(status) = chosen(&query.status) {
        match EligibilityStatus::parse(status) {
            Some(s) => criteria.status = Some(s.as_str().to_owned()),
            None => {
                errors.insert("status".into(), vec!["invalid".into()]);
            }
        }
    }
    if let Some(country) = chosen(&query.country) {
        match Country::parse(country) {
            Some(c) => criteria.country = Some(c.as_str().to_owned()),
            None => {
                errors.insert("country".into(), vec!["invalid".into()]);
            }
        }
    }
    if let Some(vat) = chosen(&query.vat) {
        match VatStatus::parse(vat) {
            Some(v) => criteria.vat = Some(v.as_str().to_owned()),
            None => {
                errors.insert("vat".into(), vec!["invalid".into()]);
            }
        }
    }
    if let Some(partner) = chosen(&query.partner) {
        if partner.len() <= 40
            && partner
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            criteria.partner = Some(partner.to_owned());
        } else {
            errors.insert("partner".into(), vec!["invalid".into()]);
        }
    }
    if errors.is_empty() {
        Ok(criteria)
    } else {
        Err(AppError::Validation { fields: errors })
    }
}

/// Staff: "Annuaire des organisations". Searches by name (accents and case ignored),
/// enterprise number in any spelling, a person's name or e-mail, city, order reference,
/// invoice number, structured communication or validation token code, with filters; a page
/// of [`DIRECTORY_PAGE`](crate::directory::model::DIRECTORY_PAGE) organisations by name.
#[server(prefix = "/api", endpoint = "search_organisations")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn search_organisations(#[server(default)] query: DirectoryQuery) -> Result<DirectoryListing, AppError> {
    use crate::directory::model::DIRECTORY_PAGE;
    use domain::directory::rules::parse_query;
    let result = async {
        let (state, _staff) = crate::auth::session::require_staff().await?;
        let mut criteria = criteria(&query)?;
        if let Some(q) = chosen(&query.q) {
            let parsed = parse_query(q);
            let identified = crate::directory::db::identified_organisations(&state.db, &parsed).await?;
            if !identified.is_empty() || parsed.prefixes.is_empty() {
                // An identifier names its organisation; a query of nothing but symbols names none.
                criteria.ids = Some(identified);
            } else {
                criteria.prefixes = parsed.prefixes;
            }
        }
        let page = query.page.unwrap_or(1).clamp(1, 100_000);
        let offset = i64::from(page - 1) * i64::from(DIRECTORY_PAGE);
        let total = crate::directory::db::count(&state.db, &criteria).await?;
        criteria.in_name_order = total >= crate::directory::db::IN_NAME_ORDER_FROM && !criteria.prefixes.is_empty();
        let rows = crate::directory::db::page(&state.db, &criteria, i64::from(DIRECTORY_PAGE), offset).await?;
        let partners = crate::directory::db::partners(&state.db).await?;
        Ok(DirectoryListing {
            items: rows.into_iter().map(entry).collect(),
            total,
            page,
            per_page: DIRECTORY_PAGE,
            partners,
        })
    }
    .await;
    crate::error::with_status(result)
}

#[cfg(feature = "ssr")]
fn entry(row: crate::directory::db::DirectoryRow) -> crate::directory::model::DirectoryEntry {
    use crate::org::model::{Country, EligibilityStatus};
    use crate::org::rules::EnterpriseNumber;
    use domain::invoice::VatStatus;
    let country = Country::parse(&row.country).unwrap_or(Country::BE);
    crate::directory::model::DirectoryEntry {
        enterprise_number: EnterpriseNumber::parse(country, &row.enterprise_number)
            .map(|n| n.to_string())
            .unwrap_or(row.enterprise_number),
        organisation_id: row.organisation_id,
        legal_name: row.legal_name,
        country,
        postal_code: row.postal_code,
        city: row.city,
        eligibility_status: EligibilityStatus::parse(&row.eligibility_status).unwrap_or(EligibilityStatus::Pending),
        vat_status: VatStatus::parse(&row.vat_status).unwrap_or(VatStatus::None),
        holder_name: row.holder_name,
    }
}

/// Staff: what the 360 page shows beside the file: orders and invoices, credit notes, tokens,
/// change requests, the qualification history and the newest audit entries.
#[server(prefix = "/api", endpoint = "organisation_overview")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn load_organisation_overview(organisation_id: String) -> Result<OrganisationOverview, AppError> {
    use crate::directory::db;
    use crate::directory::model::{
        OVERVIEW_LIMIT, OverviewChange, OverviewCreditNote, OverviewEvent, OverviewOrder, OverviewToken,
    };
    let result = async {
        let (state, _staff) = crate::auth::session::require_staff().await?;
        let (legal_name, appeal) = db::legal_name(&state.db, &organisation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (orders, orders_total) = db::orders(&state.db, &organisation_id, OVERVIEW_LIMIT).await?;
        let credit_notes = db::credit_notes(&state.db, &organisation_id, OVERVIEW_LIMIT).await?;
        let (tokens, tokens_total) = db::tokens(&state.db, &organisation_id, OVERVIEW_LIMIT).await?;
        let changes = db::change_requests(&state.db, &organisation_id, OVERVIEW_LIMIT).await?;
        let (history, _) = db::events(
            &state.db,
            &organisation_id,
            Some("organisation.qualification_changed"),
            OVERVIEW_LIMIT,
        )
        .await?;
        let (audit, audit_total) = db::events(&state.db, &organisation_id, None, 20).await?;
        let event = |e: db::EventRow| OverviewEvent {
            occurred_at: e.occurred_at,
            action: e.action,
            actor_name: e.actor_name,
            before: e.before_json,
            after: e.after_json,
        };
        Ok(OrganisationOverview {
            organisation_id: organisation_id.clone(),
            legal_name,
            orders: orders
                .into_iter()
                .map(|o| OverviewOrder {
                    invoice_number: o
                        .year
                        .zip(o.number)
                        .map(|(y, n)| domain::order::model::invoice_number(y, n)),
                    order_id: o.order_id,
                    reference: o.reference,
                    category: o.category,
                    status: o.status,
                    submitted_at: o.submitted_at,
                    invoice_id: o.invoice_id,
                    total_cents: o.total_cents,
                })
                .collect(),
            orders_total,
            credit_notes: credit_notes
                .into_iter()
                .map(|c| OverviewCreditNote {
                    number: c
                        .year
                        .zip(c.number)
                        .map(|(y, n)| domain::invoice::credit_note_number(y, n)),
                    credit_note_id: c.credit_note_id,
                    invoice_id: c.invoice_id,
                    order_id: c.order_id,
                    kind: c.kind,
                    issued_on: c.issued_on,
                })
                .collect(),
            tokens: tokens
                .into_iter()
                .map(|t| OverviewToken {
                    token_id: t.token_id,
                    code_start: t.code.chars().take(8).collect(),
                    recipient_name: t.recipient_name,
                    recipient_email: t.recipient_email,
                    partner_id: t.partner_id,
                    created_at: t.created_at,
                    expires_at: t.expires_at,
                    revoked: t.revoked_at.is_some(),
                })
                .collect(),
            tokens_total,
            change_requests: changes
                .into_iter()
                .map(|c| OverviewChange {
                    change_request_id: c.change_request_id,
                    status: c.status,
                    created_at: c.created_at,
                    decided_at: c.decided_at,
                    decision_reason: c.decision_reason,
                })
                .collect(),
            qualification_history: history.into_iter().map(event).collect(),
            audit: audit.into_iter().map(event).collect(),
            audit_total,
            appeal,
        })
    }
    .await;
    crate::error::with_status(result)
}
