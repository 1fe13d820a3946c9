//! Server functions of registration, "Mon organisation" and the staff review.
//!
//! Who may call what: `register`, `confirm_registration` and `ask_if_registered` are public; `my_organisation` and
//! `answer_information` need a member of the organisation; everything under "staff" needs a
//! staff session. An organisation's id never comes from the browser for its own data: it is
//! taken from the session, so no caller can read another organisation's file.

use crate::error::AppError;
use crate::org::model::{ImportReport, OrganisationFile, PartnerStanding, QualificationInput, ReviewQueueListing};
use crate::org::registration::RegistrationForm;
use leptos::prelude::*;

/// Longest free text staff or organisations may write (reasons, questions, answers).
pub const MAX_MESSAGE_CHARS: usize = 2000;

#[cfg(feature = "ssr")]
fn message(field: &str, value: &str, required: bool) -> Result<Option<String>, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return if required {
            Err(AppError::field(field, "required"))
        } else {
            Ok(None)
        };
    }
    if value.chars().count() > MAX_MESSAGE_CHARS {
        return Err(AppError::field(field, "too_long"));
    }
    Ok(Some(value.to_owned()))
}

#[cfg(feature = "ssr")]
fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// How long a registration link stays valid.
#[cfg(feature = "ssr")]
pub const REGISTRATION_LINK_VALIDITY: chrono::Duration = chrono::Duration::hours(24);

/// Registration links one address can receive per day (the form also counts per client).
#[cfg(feature = "ssr")]
pub const REGISTRATION_LINKS_PER_DAY: i64 = 3;

/// "Already registered" notices one address can receive per day.
#[cfg(feature = "ssr")]
pub const REGISTRATION_NOTICES_PER_DAY: i64 = 1;

/// "Inscrire mon organisation", step 1. Public. A malformed form is answered field by field;
/// a valid one always gets the same answer ("check your mailbox"), whatever the database
/// holds, so that nobody learns from it whether an address has an account or a number is
/// registered. What differs goes to the holder's own address: a link that finishes the
/// registration ([`confirm_registration`]), or a notice that the address already has an
/// account or that the organisation is already registered — at most
/// [`REGISTRATION_LINKS_PER_DAY`] links and [`REGISTRATION_NOTICES_PER_DAY`] notice per
/// address per day, so the form cannot mail-bomb anyone.
#[server(prefix = "/api", endpoint = "register")]
pub async fn register(form: RegistrationForm) -> Result<(), AppError> {
    use crate::auth::session;
    use crate::mail::templates::Email;
    use crate::org::db::{self, NewPendingRegistration};
    use leptos_i18n::Locale as _;
    let result = async {
        let state = crate::state::app_state()?;
        let valid =
            crate::org::registration::validate_registration(&form).map_err(|fields| AppError::Validation { fields })?;
        // Counted once the form is valid, before the argon2 hash and the database's answers
        // that a flood of calls would be after.
        crate::auth::limit::per_client(&state, "register", "").await?;
        // Hashed whatever the outcome, so that the three answers also take the same time.
        let password_hash = session::hash_password(valid.password.clone()).await?;
        let locale = crate::request::locale();
        let now = crate::db::now();
        let (token, token_hash) = session::new_token();
        let mut tx = state.db.begin().await?;
        db::delete_expired_registrations(&mut tx, now).await?;
        db::lock_registration_mails(&mut tx, &valid.holder_email).await?;
        let (kind, email) = if db::email_taken(&mut tx, &valid.holder_email).await? {
            ("email_taken", Email::RegistrationEmailTaken)
        } else if db::enterprise_number_taken(&mut tx, valid.enterprise_number.as_str()).await? {
            let enterprise_number = valid.enterprise_number.to_string();
            ("number_taken", Email::RegistrationNumberTaken { enterprise_number })
        } else {
            let link = format!("{}/register/confirm?token={token}", state.config.public_url);
            let organisation = valid.legal_name.clone();
            ("confirm", Email::RegistrationConfirm { organisation, link })
        };
        let confirm = kind == "confirm";
        let (notice, max) = if confirm {
            (false, REGISTRATION_LINKS_PER_DAY)
        } else {
            (true, REGISTRATION_NOTICES_PER_DAY)
        };
        let day_ago = now - chrono::Duration::days(1);
        // Past the address's daily count, nothing is stored or sent; the answer is the same.
        if db::registration_mails_since(&mut tx, &valid.holder_email, notice, day_ago).await? < max {
            let pending = NewPendingRegistration {
                kind,
                token_hash: confirm.then_some(token_hash.as_str()),
                legal_name: &valid.legal_name,
                legal_form: valid.legal_form,
                enterprise_number: &valid.enterprise_number,
                street: &valid.street,
                postal_code: &valid.postal_code,
                city: &valid.city,
                contact_email: &valid.contact_email,
                mission_category: &valid.mission_category,
                holder_name: &valid.holder_name,
                holder_email: &valid.holder_email,
                password_hash: confirm.then_some(password_hash.as_str()),
                language: locale.as_str(),
                expires_at: now + REGISTRATION_LINK_VALIDITY,
                vat_status: valid.vat_status,
                vat_number: valid.vat_number.as_deref(),
            };
            db::insert_pending_registration(&mut tx, &pending, now).await?;
            crate::mail::queue(&mut tx, &state, &valid.holder_email, &email, locale).await?;
        }
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// "Inscrire mon organisation", step 2: the link mailed by [`register`]. Public (the link is
/// the proof). Creates the organisation, its account holder and session, and the
/// "registration received" e-mail, in one transaction that uses the link up and checks the
/// number and the address again (another registration may have been confirmed meanwhile).
#[server(prefix = "/api", endpoint = "confirm_registration")]
pub async fn confirm_registration(token: String) -> Result<(), AppError> {
    use crate::auth::{rules::username_from_email, session};
    use crate::mail::templates::Email;
    use crate::org::db::{self, NewOrganisation, NewPerson};
    use crate::org::model::{Country, EligibilityStatus, LegalForm, MemberRole};
    use crate::org::rules::EnterpriseNumber;
    let result = async {
        let token = token.trim();
        if token.is_empty() {
            return Err(AppError::form("registration_link_invalid"));
        }
        let state = crate::state::app_state()?;
        crate::auth::limit::per_client(&state, "register", "link:").await?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let pending = db::claim_pending_registration(&mut tx, &session::hash_token(token), now)
            .await?
            .ok_or_else(|| AppError::form("registration_link_invalid"))?;
        let legal_form = LegalForm::parse(&pending.legal_form).ok_or(AppError::Internal)?;
        let country = Country::parse(&pending.country).ok_or(AppError::Internal)?;
        let enterprise_number =
            EnterpriseNumber::parse(country, &pending.enterprise_number).map_err(|_| AppError::Internal)?;
        // Stored checked by `register`; read again through the same rule.
        let (vat_status, vat_number) = crate::org::registration::validate_vat(
            &pending.vat_status,
            pending.vat_number.as_deref().unwrap_or(""),
            Some(&enterprise_number),
        )
        .map_err(|_| AppError::Internal)?;
        if db::enterprise_number_taken(&mut tx, enterprise_number.as_str()).await? {
            return Err(AppError::form("registration_number_taken"));
        }
        if db::email_taken(&mut tx, &pending.holder_email).await? {
            return Err(AppError::form("registration_email_taken"));
        }
        let organisation_id = db::insert_organisation(
            &mut tx,
            &NewOrganisation {
                legal_name: &pending.legal_name,
                legal_form,
                enterprise_number: &enterprise_number,
                street: &pending.street,
                postal_code: &pending.postal_code,
                city: &pending.city,
                contact_email: &pending.contact_email,
                mission_category: &pending.mission_category,
                eligibility_status: EligibilityStatus::Pending,
                submitted_at: None,
                language: &pending.language,
                vat_status,
                vat_number: vat_number.as_deref(),
            },
            now,
        )
        .await?;
        let username = db::free_username(&mut tx, &username_from_email(&pending.holder_email)).await?;
        let person_id = db::insert_person(
            &mut tx,
            &NewPerson {
                username: &username,
                email: &pending.holder_email,
                full_name: &pending.holder_name,
                password_hash: &pending.password_hash,
                staff_role: None,
            },
            now,
        )
        .await?;
        db::insert_membership(&mut tx, &organisation_id, &person_id, MemberRole::AccountHolder, now).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&person_id),
                action: "organisation.registered",
                entity_type: "organisation",
                entity_id: &organisation_id,
                before: None,
                after: Some(serde_json::json!({
                    "legal_name": pending.legal_name,
                    "enterprise_number": enterprise_number.as_str(),
                    "holder": pending.holder_email,
                    "vat_status": vat_status.as_str(),
                    "vat_number": vat_number,
                })),
            },
            now,
        )
        .await?;
        let email = Email::RegistrationReceived {
            organisation: pending.legal_name.clone(),
        };
        let locale = locale_of(&pending.language);
        crate::mail::queue(&mut tx, &state, &pending.contact_email, &email, locale).await?;
        match tx.commit().await {
            Ok(()) => {}
            // Another registration with the same number or e-mail won the race.
            Err(error) if is_unique_violation(&error) => {
                return Err(AppError::form("registration_number_taken"));
            }
            Err(error) => return Err(error.into()),
        }
        crate::mail::wake(&state);
        session::start_session(&state, &person_id).await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// "Mon organisation": the caller's own file. Members.
#[server(prefix = "/api", endpoint = "my_organisation")]
pub async fn my_organisation() -> Result<OrganisationFile, AppError> {
    let result = async {
        let (state, _user, organisation_id) = crate::auth::session::require_member().await?;
        crate::org::db::organisation_file(&state.db, &organisation_id)
            .await?
            .ok_or(AppError::NotFound)
    }
    .await;
    crate::error::with_status(result)
}

/// The organisation answers staff's question; the review clock restarts. Members.
#[server(prefix = "/api", endpoint = "answer_information")]
pub async fn answer_information(answer: String) -> Result<(), AppError> {
    let result = async {
        let (state, user, organisation_id) = crate::auth::session::require_member().await?;
        let answer = message("answer", &answer, true)?.unwrap_or_default();
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        if !crate::org::db::answer_info_request(&mut tx, &organisation_id, &answer, now).await? {
            return Err(AppError::Conflict("no_open_question".into()));
        }
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&user.person_id),
                action: "organisation.information_given",
                entity_type: "organisation",
                entity_id: &organisation_id,
                before: Some(serde_json::json!({ "eligibility_status": "info_requested" })),
                after: Some(serde_json::json!({ "eligibility_status": "pending", "info_response": answer })),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: the review queue, overdue files first, then by deadline; `page` (from 1, the first
/// by default) of [`REVIEW_QUEUE_PAGE`] files.
#[server(prefix = "/api", endpoint = "review_queue")]
pub async fn review_queue(page: Option<u32>) -> Result<ReviewQueueListing, AppError> {
    use crate::org::model::{Country, EligibilityStatus, LegalForm};
    use crate::org::rules::EnterpriseNumber;
    use domain::calendar::business_days_between;
    let result = async {
        let (state, _staff) = crate::auth::session::require_staff().await?;
        let today = crate::db::now().with_timezone(&domain::calendar::BELGIUM).date_naive();
        let overdue_before = domain::calendar::business_day_start(crate::org::rules::review_overdue_before(today));
        let per_page = crate::org::model::REVIEW_QUEUE_PAGE;
        let page = page.unwrap_or(1).max(1);
        let (total, overdue) = crate::org::db::review_queue_counts(&state.db, overdue_before).await?;
        let offset = u64::from(page - 1) * u64::from(per_page);
        let waiting = crate::org::db::review_queue_page(
            &state.db,
            overdue_before,
            u64::try_from(overdue).unwrap_or(0),
            per_page,
            offset,
        )
        .await?;
        let items = waiting
            .into_iter()
            .map(|w| {
                let submitted_on = w.submitted_at.with_timezone(&domain::calendar::BELGIUM).date_naive();
                let deadline = crate::org::rules::review_deadline(submitted_on);
                let status = EligibilityStatus::parse(&w.eligibility_status).unwrap_or(EligibilityStatus::Pending);
                let country = Country::parse(&w.country).unwrap_or(Country::BE);
                crate::org::model::ReviewQueueItem {
                    enterprise_number: EnterpriseNumber::parse(country, &w.enterprise_number)
                        .map(|n| n.to_string())
                        .unwrap_or(w.enterprise_number),
                    organisation_id: w.organisation_id,
                    legal_name: w.legal_name,
                    legal_form: LegalForm::parse(&w.legal_form).unwrap_or(LegalForm::Asbl),
                    city: w.city,
                    // While the organisation owes an answer, the clock is theirs, not ours.
                    overdue: crate::org::rules::review_overdue(
                        status == EligibilityStatus::Pending || w.appeal,
                        submitted_on,
                        today,
                    ),
                    eligibility_status: status,
                    submitted_on: submitted_on.to_string(),
                    business_days_waiting: business_days_between(submitted_on, today),
                    deadline: deadline.to_string(),
                    appeal: w.appeal,
                }
            })
            .collect();
        Ok(ReviewQueueListing {
            items,
            total,
            overdue,
            page,
            per_page,
        })
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: one organisation's whole file.
#[server(prefix = "/api", endpoint = "organisation_for_review")]
pub async fn organisation_for_review(organisation_id: String) -> Result<OrganisationFile, AppError> {
    let result = async {
        let (state, _staff) = crate::auth::session::require_staff().await?;
        crate::org::db::organisation_file(&state.db, &organisation_id)
            .await?
            .ok_or(AppError::NotFound)
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: programme eligibility, `eligible` or `rejected`; a refusal needs a reason. The
/// organisation is told by e-mail.
#[server(prefix = "/api", endpoint = "decide_eligibility")]
pub async fn decide_eligibility(organisation_id: String, decision: String, reason: String) -> Result<(), AppError> {
    use crate::mail::templates::Email;
    use crate::org::model::EligibilityStatus;
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let status = match decision.as_str() {
            "eligible" => EligibilityStatus::Eligible,
            "rejected" => EligibilityStatus::Rejected,
            _ => return Err(AppError::field("decision", "choose_one")),
        };
        let reason = message("reason", &reason, status == EligibilityStatus::Rejected)?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let before = crate::org::db::set_eligibility(&mut tx, &organisation_id, status, reason.as_deref(), now)
            .await?
            .ok_or(AppError::NotFound)?;
        crate::org::db::close_appeal(&mut tx, &organisation_id).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action: "organisation.eligibility_decided",
                entity_type: "organisation",
                entity_id: &organisation_id,
                before: Some(serde_json::json!({ "eligibility_status": before })),
                after: Some(serde_json::json!({ "eligibility_status": status.as_str(), "reason": reason })),
            },
            now,
        )
        .await?;
        let (name, to, language) = crate::org::db::contact(&mut tx, &organisation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let email = Email::EligibilityDecided {
            organisation: name,
            eligible: status == EligibilityStatus::Eligible,
            reason: reason.unwrap_or_default(),
        };
        crate::mail::queue(&mut tx, &state, &to, &email, locale_of(&language)).await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: the organisation's VAT status ("Statut TVA") and number, which decide its
/// invoices' VAT and whether they go out as Peppol e-invoices. Checked like the
/// registration's; audited with the values before and after.
#[server(prefix = "/api", endpoint = "set_vat_status")]
pub async fn set_vat_status(organisation_id: String, vat_status: String, vat_number: String) -> Result<(), AppError> {
    use crate::org::model::Country;
    use crate::org::rules::EnterpriseNumber;
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let before = crate::org::db::vat_of(&mut tx, &organisation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let enterprise_number = Country::parse(&before.country)
            .and_then(|country| EnterpriseNumber::parse(country, &before.enterprise_number).ok());
        let (status, number) =
            crate::org::registration::validate_vat(&vat_status, &vat_number, enterprise_number.as_ref())
                .map_err(|(field, code)| AppError::field(field, code))?;
        crate::org::db::set_vat(&mut tx, &organisation_id, status, number.as_deref(), now).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action: "organisation.vat_status_changed",
                entity_type: "organisation",
                entity_id: &organisation_id,
                before: Some(serde_json::json!({ "vat_status": before.vat_status, "vat_number": before.vat_number })),
                after: Some(serde_json::json!({ "vat_status": status.as_str(), "vat_number": number })),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// The e-mail language stored for an organisation.
#[cfg(feature = "ssr")]
pub(crate) fn locale_of(language: &str) -> crate::i18n::Locale {
    use crate::i18n::Locale;
    match language {
        "nl" => Locale::nl,
        "en" => Locale::en,
        _ => Locale::fr,
    }
}

/// Staff: ask the organisation for more information (it sees the question in its account
/// and by e-mail).
#[server(prefix = "/api", endpoint = "request_information")]
pub async fn request_information(organisation_id: String, question: String) -> Result<(), AppError> {
    use crate::mail::templates::Email;
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let question = message("question", &question, true)?.unwrap_or_default();
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let before = crate::org::db::set_info_request(&mut tx, &organisation_id, &question, now)
            .await?
            .ok_or(AppError::NotFound)?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action: "organisation.information_requested",
                entity_type: "organisation",
                entity_id: &organisation_id,
                before: Some(serde_json::json!({ "eligibility_status": before })),
                after: Some(serde_json::json!({ "eligibility_status": "info_requested", "question": question })),
            },
            now,
        )
        .await?;
        let (name, to, language) = crate::org::db::contact(&mut tx, &organisation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let email = Email::InformationRequested {
            organisation: name,
            question,
        };
        crate::mail::queue(&mut tx, &state, &to, &email, locale_of(&language)).await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Validates and applies staff's decisions for one organisation in one transaction: only
/// changed partners are written, each change is audited, the organisation gets one e-mail
/// listing them, and any open appeal is answered. Returns how many partners changed.
#[cfg(feature = "ssr")]
async fn apply_qualifications(
    state: &crate::state::AppState,
    staff: &crate::auth::model::CurrentUser,
    organisation_id: &str,
    decisions: &[QualificationInput],
) -> Result<u32, AppError> {
    use crate::mail::templates::Email;
    use crate::org::db::QualificationDecision;
    let partners = crate::org::db::active_partners(&state.db).await?;
    // Validate everything before writing anything.
    let mut wanted = Vec::new();
    let mut errors = crate::error::FieldErrors::new();
    for input in decisions {
        let Some((_, partner_name)) = partners.iter().find(|(id, _)| *id == input.partner_id) else {
            return Err(AppError::field("partner_id", "unknown_partner"));
        };
        let qualified = match input.decision.as_str() {
            "qualified" => true,
            "not_qualified" => false,
            _ => continue,
        };
        match message(&format!("reason_{}", input.partner_id), &input.reason, !qualified) {
            Ok(reason) => wanted.push((input.partner_id.clone(), partner_name.clone(), qualified, reason)),
            Err(AppError::Validation { fields }) => errors.extend(fields),
            Err(other) => return Err(other),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation { fields: errors });
    }
    let now = crate::db::now();
    let mut tx = state.db.begin().await?;
    let (name, to, language) = crate::org::db::contact(&mut tx, organisation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let current = crate::org::db::qualifications_in(&mut tx, organisation_id).await?;
    let locale = locale_of(&language);
    let mut lines = Vec::new();
    for (partner_id, partner_name, qualified, reason) in &wanted {
        let before = current.iter().find(|(id, _, _)| id == partner_id);
        if before.is_some_and(|(_, q, r)| q == qualified && r == reason) {
            continue;
        }
        let decision = QualificationDecision {
            partner_id,
            qualified: *qualified,
            reason: reason.as_deref(),
            decided_by: Some(&staff.person_id),
        };
        crate::org::db::upsert_qualification(&mut tx, organisation_id, &decision, now).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action: "organisation.qualification_changed",
                entity_type: "organisation",
                entity_id: organisation_id,
                before: before.map(|(p, q, r)| serde_json::json!({ "partner": p, "qualified": q, "reason": r })),
                after: Some(serde_json::json!({ "partner": partner_id, "qualified": qualified, "reason": reason })),
            },
            now,
        )
        .await?;
        lines.push(qualification_line(locale, partner_name, *qualified, reason.as_deref()));
    }
    let changed = u32::try_from(lines.len()).unwrap_or(u32::MAX);
    if !lines.is_empty() {
        let email = Email::QualificationChanged {
            organisation: name,
            lines,
        };
        crate::mail::queue(&mut tx, state, &to, &email, locale).await?;
        crate::org::db::close_appeal(&mut tx, organisation_id).await?;
    }
    tx.commit().await?;
    Ok(changed)
}

/// Staff: the qualification matrix of one organisation (see [`apply_qualifications`]).
#[server(prefix = "/api", endpoint = "set_qualifications")]
pub async fn set_qualifications(organisation_id: String, decisions: Vec<QualificationInput>) -> Result<u32, AppError> {
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        apply_qualifications(&state, &staff, &organisation_id, &decisions).await
    }
    .await;
    crate::error::with_status(result)
}

#[cfg(feature = "ssr")]
fn qualification_line(locale: crate::i18n::Locale, partner: &str, qualified: bool, reason: Option<&str>) -> String {
    use crate::i18n::Locale;
    let verdict = match (locale, qualified) {
        (Locale::fr, true) => "qualifiée",
        (Locale::fr, false) => "non qualifiée",
        (Locale::nl, true) => "gekwalificeerd",
        (Locale::nl, false) => "niet gekwalificeerd",
        (Locale::en, true) => "qualified",
        (Locale::en, false) => "not qualified",
    };
    match reason {
        Some(reason) => format!("- {partner} : {verdict} ({reason})"),
        None => format!("- {partner} : {verdict}"),
    }
}

/// The account holder invites a member by e-mail; the new member chooses a password through
/// the link they receive, and only then joins the member list. Only holders of a validated
/// (eligible) organisation may invite, at most `INVITATIONS_PER_DAY` in 24 hours. Whether or
/// not the address already has an account, the holder sees the same thing: one more pending
/// invitation ("Invitations en attente") until it is accepted, cancelled or expires. An
/// existing account gets a neutral notice instead (at most one a day) and nothing moves, which
/// from the holder's side is an invitee who never answers.
#[server(prefix = "/api", endpoint = "invite_member")]
pub async fn invite_member(full_name: String, email: String) -> Result<(), AppError> {
    use crate::auth::rules::normalise_email;
    use crate::auth::session;
    use crate::org::db;
    let result = async {
        let (state, holder, organisation_id) = session::require_holder().await?;
        let full_name = message("full_name", &full_name, true)?.unwrap_or_default();
        if full_name.chars().count() > crate::org::registration::MAX_TEXT_CHARS {
            return Err(AppError::field("full_name", "too_long"));
        }
        let email = normalise_email(&email).map_err(|code| AppError::field("email", code))?;
        if !crate::token::db::organisation_validated(&state.db, &organisation_id).await? {
            return Err(AppError::Conflict("organisation_not_validated".into()));
        }
        // Nobody knows this password: the member sets theirs through the invitation link. Hashed
        // for every invitation, so that both kinds take the same time.
        let password_hash = session::unusable_password().await?;
        let now = crate::db::now();
        let day_ago = now - chrono::Duration::days(1);
        let mut tx = state.db.begin().await?;
        // Counted and recorded in one transaction, the holder's row locked: exact under bursts.
        db::lock_inviter(&mut tx, &holder.person_id).await?;
        let sent = db::invitations_sent_since(&mut tx, &holder.person_id, day_ago).await?;
        if sent >= i64::from(state.config.invitations_per_day) {
            return Err(crate::error::too_many_requests(chrono::Duration::hours(1)));
        }
        let invited = Invitee {
            organisation_id: &organisation_id,
            inviter_id: &holder.person_id,
            inviter_name: &holder.full_name,
            full_name: &full_name,
            email: &email,
        };
        send_invitation(&mut tx, &state, &invited, &password_hash, now).await?;
        tx.commit().await?;
        crate::mail::wake(&state);
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Who is invited, to which organisation, by whom.
#[cfg(feature = "ssr")]
pub(crate) struct Invitee<'a> {
    pub organisation_id: &'a str,
    pub inviter_id: &'a str,
    /// The name the invitation shows ("Sophie Lambert", or the programme's for staff).
    pub inviter_name: &'a str,
    pub full_name: &'a str,
    /// Already normalised.
    pub email: &'a str,
}

/// The invitation flow inside the caller's transaction: a pending invitation with a link to
/// choose a password for a new address, or, for an address that already has an account, a
/// neutral notice (at most one a day) and nothing moves. `password_hash` is an unusable hash
/// computed before the transaction. Returns the person created for a new address.
#[cfg(feature = "ssr")]
pub(crate) async fn send_invitation(
    tx: &mut crate::db::DbTx,
    state: &crate::state::AppState,
    invitee: &Invitee<'_>,
    password_hash: &str,
    now: crate::db::Timestamp,
) -> Result<Option<String>, AppError> {
    use crate::auth::rules::{INVITATION_VALIDITY, username_from_email};
    use crate::auth::session;
    use crate::mail::templates::Email;
    use crate::org::db::{self, NewPerson};
    let (organisation_id, email, full_name) = (invitee.organisation_id, invitee.email, invitee.full_name);
    let day_ago = now - chrono::Duration::days(1);
    // Decided from the invitations alone, so it answers alike for both kinds.
    if db::invitation_pending(tx, organisation_id, email, now).await? {
        return Err(AppError::field("email", "already_invited"));
    }
    let (organisation, _, language) = db::contact(tx, organisation_id).await?.ok_or(AppError::NotFound)?;
    let locale = locale_of(&language);
    // Someone an earlier invitation created, who never answered it: the address is new again.
    if let Some(lapsed) = db::lapsed_invitee(tx, email, now).await? {
        db::delete_unaccepted_invitee(tx, &lapsed).await?;
    }
    if db::email_taken(tx, email).await? {
        // At most one neutral notice a day: a holder cannot mail-bomb an existing account.
        if !db::notice_sent_since(tx, email, day_ago).await? {
            crate::mail::queue(tx, state, email, &Email::AlreadyHasAccount, locale).await?;
        }
        db::insert_invitation(tx, organisation_id, invitee.inviter_id, email, "notice", None, now).await?;
        return Ok(None);
    }
    let username = db::free_username(tx, &username_from_email(email)).await?;
    let person = NewPerson {
        username: &username,
        email,
        full_name,
        password_hash,
        staff_role: None,
    };
    let person_id = db::insert_person(tx, &person, now).await?;
    db::insert_pending_membership(tx, organisation_id, &person_id, now).await?;
    let kind = "invitation";
    db::insert_invitation(
        tx,
        organisation_id,
        invitee.inviter_id,
        email,
        kind,
        Some(&person_id),
        now,
    )
    .await?;
    let link = session::new_password_link(tx, state, &person_id, now, INVITATION_VALIDITY).await?;
    crate::audit::record(
        tx,
        crate::audit::AuditEvent {
            actor: Some(invitee.inviter_id),
            action: "organisation.member_invited",
            entity_type: "organisation",
            entity_id: organisation_id,
            before: None,
            after: Some(serde_json::json!({ "person": person_id, "email": email, "role": "member" })),
        },
        now,
    )
    .await?;
    let invitation = Email::MemberInvited {
        organisation,
        inviter: invitee.inviter_name.to_owned(),
        link,
    };
    crate::mail::queue(tx, state, email, &invitation, locale).await?;
    Ok(Some(person_id))
}

/// The account holder cancels a pending invitation (after a confirmation in the page). For a
/// new address this also removes the person it created, and with them the link: it no longer
/// works. The answer is the same for both kinds of invitation.
#[server(prefix = "/api", endpoint = "cancel_invitation")]
pub async fn cancel_invitation(invitation_id: String) -> Result<(), AppError> {
    let result = async {
        let (state, holder, organisation_id) = crate::auth::session::require_holder().await?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let person = crate::org::db::cancel_invitation(&mut tx, &organisation_id, &invitation_id, now)
            .await?
            .ok_or(AppError::NotFound)?;
        if let Some(person) = &person {
            crate::org::db::delete_unaccepted_invitee(&mut tx, person).await?;
        }
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&holder.person_id),
                action: "organisation.invitation_cancelled",
                entity_type: "organisation",
                entity_id: &organisation_id,
                before: Some(serde_json::json!({ "invitation": invitation_id, "person": person })),
                after: None,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// The account holder removes a member (never themselves).
#[server(prefix = "/api", endpoint = "remove_member")]
pub async fn remove_member(person_id: String) -> Result<(), AppError> {
    let result = async {
        let (state, holder, organisation_id) = crate::auth::session::require_holder().await?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        if !crate::org::db::remove_member(&mut tx, &organisation_id, &person_id).await? {
            return Err(AppError::NotFound);
        }
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&holder.person_id),
                action: "organisation.member_removed",
                entity_type: "organisation",
                entity_id: &organisation_id,
                before: Some(serde_json::json!({ "person": person_id, "role": "member" })),
                after: None,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Staff make a member the account holder ("titulaire du compte"); the previous holder
/// stays a member. An invitee who has not accepted yet is not a member. The organisation is told by e-mail.
#[server(prefix = "/api", endpoint = "transfer_holder")]
pub async fn transfer_holder(organisation_id: String, person_id: String) -> Result<(), AppError> {
    use crate::mail::templates::Email;
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let holder = crate::org::db::members_of(&state.db, &organisation_id)
            .await?
            .into_iter()
            .find(|m| m.person_id == person_id)
            .map(|m| m.full_name)
            .unwrap_or_default();
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let (organisation, to, language) = crate::org::db::contact(&mut tx, &organisation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let previous = crate::org::db::transfer_holder(&mut tx, &organisation_id, &person_id)
            .await?
            .ok_or_else(|| AppError::field("person_id", "not_a_member"))?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action: "organisation.holder_transferred",
                entity_type: "organisation",
                entity_id: &organisation_id,
                before: Some(serde_json::json!({ "account_holder": previous })),
                after: Some(serde_json::json!({ "account_holder": person_id })),
            },
            now,
        )
        .await?;
        let email = Email::HolderTransferred { organisation, holder };
        crate::mail::queue(&mut tx, &state, &to, &email, locale_of(&language)).await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: bulk registration from CSV text. Each good row becomes an organisation (pending
/// review) with its account holder, who receives a link to choose a password; each bad row
/// is reported with its reasons. Rows are independent: one transaction each.
#[server(prefix = "/api", endpoint = "import_organisations")]
pub async fn import_organisations(csv: String) -> Result<ImportReport, AppError> {
    use crate::auth::rules::{INVITATION_VALIDITY, username_from_email};
    use crate::auth::session;
    use crate::mail::templates::Email;
    use crate::org::db::{self, NewOrganisation, NewPerson};
    use crate::org::model::{EligibilityStatus, ImportLine, MemberRole};
    use crate::org::registration::validate_registration;
    let result = async {
        let (state, staff) = session::require_staff().await?;
        let rows = crate::org::import::parse_csv(&csv).map_err(|error| AppError::field("csv", error.code()))?;
        let mut report = ImportReport::default();
        // One unusable password hash for every imported holder: they choose theirs by link.
        let (unusable, _) = session::new_token();
        let password_hash = session::hash_password(unusable.clone()).await?;
        for row in rows {
            let mut form = row.form.clone();
            form.password = unusable.clone();
            let mut line = ImportLine {
                line: row.line,
                legal_name: form.legal_name.trim().to_owned(),
                enterprise_number: form.enterprise_number.trim().to_owned(),
                errors: Default::default(),
            };
            let valid = match validate_registration(&form) {
                Ok(valid) => valid,
                Err(errors) => {
                    line.errors = errors;
                    report.rejected.push(line);
                    continue;
                }
            };
            let now = crate::db::now();
            let created: Result<Option<(&'static str, &'static str)>, AppError> = async {
                let mut tx = state.db.begin().await?;
                if db::enterprise_number_taken(&mut tx, valid.enterprise_number.as_str()).await? {
                    return Ok(Some(("enterprise_number", "enterprise_number_taken")));
                }
                if db::email_taken(&mut tx, &valid.holder_email).await? {
                    return Ok(Some(("holder_email", "email_taken")));
                }
                let organisation_id = db::insert_organisation(
                    &mut tx,
                    &NewOrganisation {
                        legal_name: &valid.legal_name,
                        legal_form: valid.legal_form,
                        enterprise_number: &valid.enterprise_number,
                        street: &valid.street,
                        postal_code: &valid.postal_code,
                        city: &valid.city,
                        contact_email: &valid.contact_email,
                        mission_category: &valid.mission_category,
                        eligibility_status: EligibilityStatus::Pending,
                        submitted_at: Some(now),
                        language: "fr",
                        vat_status: valid.vat_status,
                        vat_number: valid.vat_number.as_deref(),
                    },
                    now,
                )
                .await?;
                let username = db::free_username(&mut tx, &username_from_email(&valid.holder_email)).await?;
                let person = NewPerson {
                    username: &username,
                    email: &valid.holder_email,
                    full_name: &valid.holder_name,
                    password_hash: &password_hash,
                    staff_role: None,
                };
                let person_id = db::insert_person(&mut tx, &person, now).await?;
                db::insert_membership(&mut tx, &organisation_id, &person_id, MemberRole::AccountHolder, now).await?;
                let link = session::new_password_link(&mut tx, &state, &person_id, now, INVITATION_VALIDITY).await?;
                crate::audit::record(
                    &mut tx,
                    crate::audit::AuditEvent {
                        actor: Some(&staff.person_id),
                        action: "organisation.imported",
                        entity_type: "organisation",
                        entity_id: &organisation_id,
                        before: None,
                        after: Some(serde_json::json!({
                            "legal_name": valid.legal_name,
                            "enterprise_number": valid.enterprise_number.as_str(),
                            "holder": valid.holder_email,
                            "csv_line": row.line,
                        })),
                    },
                    now,
                )
                .await?;
                let invitation = Email::MemberInvited {
                    organisation: valid.legal_name.clone(),
                    inviter: state.config.programme.name.clone(),
                    link,
                };
                crate::mail::queue(
                    &mut tx,
                    &state,
                    &valid.holder_email,
                    &invitation,
                    crate::i18n::Locale::fr,
                )
                .await?;
                let received = Email::RegistrationReceived {
                    organisation: valid.legal_name.clone(),
                };
                crate::mail::queue(
                    &mut tx,
                    &state,
                    &valid.contact_email,
                    &received,
                    crate::i18n::Locale::fr,
                )
                .await?;
                tx.commit().await?;
                Ok(None)
            }
            .await;
            match created {
                Ok(None) => {
                    line.enterprise_number = valid.enterprise_number.to_string();
                    report.created.push(line);
                }
                Ok(Some((field, code))) => {
                    line.errors.insert(field.to_owned(), vec![code.to_owned()]);
                    report.rejected.push(line);
                }
                Err(AppError::Internal) | Err(AppError::Conflict(_)) => {
                    line.errors.insert("form".to_owned(), vec!["not_saved".to_owned()]);
                    report.rejected.push(line);
                }
                Err(other) => return Err(other),
            }
        }
        Ok(report)
    }
    .await;
    crate::error::with_status(result)
}

/// "Mon organisation est-elle inscrite ?": files the question for staff. Public; the answer
/// is always the same and reveals nothing by itself — staff reply by e-mail.
#[server(prefix = "/api", endpoint = "ask_if_registered")]
pub async fn ask_if_registered(
    organisation_name: String,
    enterprise_number: String,
    address: String,
    reply_email: String,
) -> Result<(), AppError> {
    let result = async {
        let state = crate::state::app_state()?;
        let mut errors = crate::error::FieldErrors::new();
        let mut take = |field: &str, value: &str| match message(field, value, true) {
            Ok(value) => value.unwrap_or_default(),
            Err(AppError::Validation { fields }) => {
                errors.extend(fields);
                String::new()
            }
            Err(_) => String::new(),
        };
        let organisation_name = take("organisation_name", &organisation_name);
        let enterprise_number = take("enterprise_number", &enterprise_number);
        let address = take("address", &address);
        let reply_email = match crate::auth::rules::normalise_email(&reply_email) {
            Ok(email) => email,
            Err(code) => {
                errors.insert("reply_email".into(), vec![code.into()]);
                String::new()
            }
        };
        if !errors.is_empty() {
            return Err(AppError::Validation { fields: errors });
        }
        crate::auth::limit::per_client(&state, "inquiry", "").await?;
        let mut tx = state.db.begin().await?;
        crate::org::db::insert_inquiry(
            &mut tx,
            &organisation_name,
            &enterprise_number,
            &address,
            &reply_email,
            leptos_i18n::Locale::as_str(crate::request::locale()),
            crate::db::now(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// The account holder contests a refusal (programme eligibility or a partner): the file goes
/// back into the staff queue with the message.
#[server(prefix = "/api", endpoint = "appeal_decision")]
pub async fn appeal_decision(appeal: String) -> Result<(), AppError> {
    use crate::org::model::EligibilityStatus;
    let result = async {
        let (state, holder, organisation_id) = crate::auth::session::require_holder().await?;
        let note = message("appeal", &appeal, true)?.unwrap_or_default();
        let file = crate::org::db::organisation_file(&state.db, &organisation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let refused = file.eligibility_status == EligibilityStatus::Rejected
            || file.qualifications.iter().any(|q| q.qualified == Some(false));
        if !refused {
            return Err(AppError::Conflict("nothing_to_appeal".into()));
        }
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        crate::org::db::set_appeal(&mut tx, &organisation_id, &note, now).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&holder.person_id),
                action: "organisation.appealed",
                entity_type: "organisation",
                entity_id: &organisation_id,
                before: None,
                after: Some(serde_json::json!({ "note": note })),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: where every eligible organisation stands with one partner (for re-qualifying).
#[server(prefix = "/api", endpoint = "partner_standing")]
pub async fn get_partner_standing(partner_id: String) -> Result<Vec<PartnerStanding>, AppError> {
    let result = async {
        let (state, _staff) = crate::auth::session::require_staff().await?;
        let rows = crate::org::db::partner_standing(&state.db, &partner_id).await?;
        Ok(rows
            .into_iter()
            .map(|(organisation_id, legal_name, qualified)| PartnerStanding {
                organisation_id,
                legal_name,
                qualified,
            })
            .collect())
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: the active partners (id, name), for the re-qualification form.
#[server(prefix = "/api", endpoint = "list_partners")]
pub async fn list_partners() -> Result<Vec<(String, String)>, AppError> {
    let result = async {
        let (state, _staff) = crate::auth::session::require_staff().await?;
        Ok(crate::org::db::active_partners(&state.db).await?)
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: when a partner changes its criteria, set many organisations at once for that
/// partner. Each organisation is its own transaction, audit event and e-mail; unchanged
/// ones are skipped. Returns how many changed.
#[server(prefix = "/api", endpoint = "requalify_partner")]
pub async fn requalify_partner(
    partner_id: String,
    organisation_ids: Vec<String>,
    decision: String,
    reason: String,
) -> Result<u32, AppError> {
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        if organisation_ids.is_empty() {
            return Err(AppError::field("organisation_ids", "choose_one"));
        }
        if !matches!(decision.as_str(), "qualified" | "not_qualified") {
            return Err(AppError::field("decision", "choose_one"));
        }
        // Checked once here, so that the error names this form's single reason field.
        message("reason", &reason, decision == "not_qualified")?;
        let mut changed = 0;
        for organisation_id in &organisation_ids {
            let input = QualificationInput {
                partner_id: partner_id.clone(),
                decision: decision.clone(),
                reason: reason.clone(),
            };
            changed += apply_qualifications(&state, &staff, organisation_id, &[input]).await?;
        }
        Ok(changed)
    }
    .await;
    crate::error::with_status(result)
}
