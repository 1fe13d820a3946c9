//! Server functions of the contact form (public) and the staff inbox (staff: agents and
//! admins; organisations never read it).

use crate::contact::model::{ContactForm, Conversation, Inbox};
use crate::error::AppError;
use leptos::prelude::*;

/// "Envoyer": files the message as a new conversation for staff and e-mails the sender an
/// acknowledgement through the outbox. A logged-in person's name, login e-mail and
/// organisation are attached (the form's name and e-mail are ignored); an anonymous sender
/// types them, and each client address sends at most `PUBLIC_FORMS_PER_HOUR` per hour.
#[server(prefix = "/api", endpoint = "send_contact_message")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn send_contact_message(form: ContactForm) -> Result<(), AppError> {
    use crate::contact::db::{NewConversation, insert_conversation, person_contact};
    use crate::contact::rules;
    use crate::mail::templates::Email;
    let result = async {
        let state = crate::state::app_state()?;
        let user = crate::auth::session::current_user(&state).await?;
        let mut errors = crate::error::FieldErrors::new();
        let valid = rules::validate(&form, &mut errors);
        let (name, email) = match &user {
            Some(user) => person_contact(&state.db, &user.person_id)
                .await?
                .ok_or(AppError::Unauthorized)?,
            None => {
                let name = rules::line(&form.name).unwrap_or_else(|code| {
                    errors.insert("name".into(), vec![code.into()]);
                    String::new()
                });
                let email = crate::auth::rules::normalise_email(&form.email).unwrap_or_else(|code| {
                    errors.insert("email".into(), vec![code.into()]);
                    String::new()
                });
                (name, email)
            }
        };
        let Some(valid) = valid.filter(|_| errors.is_empty()) else {
            return Err(AppError::Validation { fields: errors });
        };
        if user.is_none() {
            // Its own counter ("contact:" + address) beside the other public forms'.
            crate::auth::limit::per_client(&state, "inquiry", "contact:").await?;
        }
        let locale = crate::request::locale();
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let new = NewConversation {
            topic: valid.topic,
            subject: &valid.subject,
            message: &valid.message,
            sender_name: &name,
            sender_email: &email,
            person_id: user.as_ref().map(|u| u.person_id.as_str()),
            organisation_id: user
                .as_ref()
                .and_then(|u| u.membership.as_ref())
                .map(|m| m.organisation_id.as_str()),
            language: leptos_i18n::Locale::as_str(locale),
        };
        insert_conversation(&mut tx, &new, now).await?;
        // The acknowledgement names only the topic: nothing a visitor typed goes out to an
        // address they typed, so the form cannot relay anyone's text to a stranger.
        crate::mail::queue(
            &mut tx,
            &state,
            &email,
            &Email::ContactReceived { topic: valid.topic },
            locale,
        )
        .await?;
        tx.commit().await?;
        crate::mail::wake(&state);
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: one page of the inbox, open (default), closed or all, latest message first;
/// `mine` = "true" keeps the caller's; `search` looks in subjects, senders, organisations
/// and messages.
#[server(prefix = "/api", endpoint = "list_conversations")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_conversations(
    status: Option<String>,
    mine: Option<String>,
    search: Option<String>,
    page: Option<i64>,
) -> Result<Inbox, AppError> {
    use crate::contact::model::{PAGE_SIZE, StatusFilter};
    use crate::contact::rules::MAX_SEARCH_CHARS;
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let search = search.unwrap_or_default().trim().to_owned();
        if search.chars().count() > MAX_SEARCH_CHARS {
            return Err(AppError::field("search", "too_long"));
        }
        let filter = crate::contact::db::InboxFilter {
            status: StatusFilter::parse(status.as_deref().unwrap_or_default()),
            assigned_to: if mine.as_deref() == Some("true") {
                staff.person_id.clone()
            } else {
                String::new()
            },
            pattern: crate::inquiry::db::like_pattern(&search),
        };
        let page = page.unwrap_or(1).clamp(1, 1_000_000);
        let offset = (page - 1).saturating_mul(PAGE_SIZE);
        let (items, total) = crate::contact::db::page(&state.db, &filter, PAGE_SIZE, offset).await?;
        let open_total = crate::contact::db::open_count(&state.db).await?;
        Ok(Inbox {
            items,
            total,
            page,
            page_size: PAGE_SIZE,
            open_total,
        })
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: a conversation with its messages, and the staff it can be assigned to.
#[server(prefix = "/api", endpoint = "load_conversation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn load_conversation(conversation_id: String) -> Result<Conversation, AppError> {
    let result = async {
        let (state, _staff) = crate::auth::session::require_staff().await?;
        let mut conversation = crate::contact::db::conversation(&state.db, &conversation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        conversation.staff = crate::contact::db::staff(&state.db).await?;
        Ok(conversation)
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: "Attribuer" a conversation to a staff member (empty: to nobody). Audited.
#[server(prefix = "/api", endpoint = "assign_conversation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn assign_conversation(conversation_id: String, assignee: String) -> Result<(), AppError> {
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let assignee = Some(assignee.trim()).filter(|a| !a.is_empty());
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let before = crate::contact::db::for_update(&mut tx, &conversation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if let Some(assignee) = assignee
            && !crate::contact::db::is_staff(&mut tx, assignee).await?
        {
            return Err(AppError::field("assignee", "choose_one"));
        }
        if before.assigned_to.as_deref() == assignee {
            return Ok(());
        }
        crate::contact::db::set_assignee(&mut tx, &conversation_id, assignee).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action: "contact.assigned",
                entity_type: "contact_conversation",
                entity_id: &conversation_id,
                before: Some(serde_json::json!({ "assigned_to": before.assigned_to })),
                after: Some(serde_json::json!({ "assigned_to": assignee })),
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

/// Staff: "Répondre par e-mail". The answer is stored in the conversation and e-mailed to the
/// sender through the outbox, in the language the message was sent in, in one transaction.
/// A conversation nobody had is assigned to whoever answers. A closed conversation is
/// refused (409 `conversation_closed`): reopen it first.
#[server(prefix = "/api", endpoint = "answer_conversation")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn answer_conversation(conversation_id: String, text: String) -> Result<(), AppError> {
    use crate::mail::templates::Email;
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let text = crate::contact::rules::text(&text).map_err(|code| AppError::field("text", code))?;
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        let conversation = crate::contact::db::for_update(&mut tx, &conversation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !crate::contact::db::add_answer(&mut tx, &conversation_id, &staff.person_id, &text, now).await? {
            return Err(AppError::Conflict("conversation_closed".into()));
        }
        if conversation.assigned_to.is_none() {
            crate::contact::db::set_assignee(&mut tx, &conversation_id, Some(&staff.person_id)).await?;
        }
        let email = Email::ContactAnswered {
            name: conversation.sender_name,
            subject: conversation.subject,
            answer: text.clone(),
        };
        let locale = crate::org::api::locale_of(&conversation.language);
        crate::mail::queue(&mut tx, &state, &conversation.sender_email, &email, locale).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action: "contact.answered",
                entity_type: "contact_conversation",
                entity_id: &conversation_id,
                before: None,
                after: Some(serde_json::json!({ "text": text, "language": conversation.language })),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        crate::mail::wake(&state);
        Ok(())
    }
    .await;
    crate::error::with_status(result)
}

/// Staff: "Clore" (`status` = `closed`) or "Rouvrir" (`open`) a conversation. Audited; a
/// conversation that already has the status is left as it is.
#[server(prefix = "/api", endpoint = "set_conversation_status")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn set_conversation_status(conversation_id: String, status: String) -> Result<(), AppError> {
    let result = async {
        let (state, staff) = crate::auth::session::require_staff().await?;
        let open = match status.as_str() {
            "open" => true,
            "closed" => false,
            _ => return Err(AppError::field("status", "choose_one")),
        };
        let now = crate::db::now();
        let mut tx = state.db.begin().await?;
        crate::contact::db::for_update(&mut tx, &conversation_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !crate::contact::db::set_status(&mut tx, &conversation_id, open, now).await? {
            return Ok(());
        }
        let (action, before) = if open {
            ("contact.reopened", "closed")
        } else {
            ("contact.closed", "open")
        };
        crate::audit::record(
            &mut tx,
            crate::audit::AuditEvent {
                actor: Some(&staff.person_id),
                action,
                entity_type: "contact_conversation",
                entity_id: &conversation_id,
                before: Some(serde_json::json!({ "status": before })),
                after: Some(serde_json::json!({ "status": status })),
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
