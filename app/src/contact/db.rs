//! SQL of the contact form and the staff inbox.

use crate::contact::model::{Assignee, ContactMessage, Conversation, ConversationSummary, StatusFilter, Topic};
use crate::db::{Db, DbTx, Timestamp, new_id};
use crate::{on_pool, on_tx};

/// A message from the contact form, ready to store.
pub struct NewConversation<'a> {
    pub topic: Topic,
    pub subject: &'a str,
    pub message: &'a str,
    pub sender_name: &'a str,
    pub sender_email: &'a str,
    pub person_id: Option<&'a str>,
    pub organisation_id: Option<&'a str>,
    pub language: &'a str,
}

/// Files a new open conversation with its first message; returns its id.
pub async fn insert_conversation(
    tx: &mut DbTx,
    new: &NewConversation<'_>,
    now: Timestamp,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into contact_conversation (conversation_id, topic, subject, sender_name, sender_email, person_id, \
         organisation_id, language, status, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $9)"
    )
    .bind(&id)
    .bind(new.topic.as_str())
    .bind(new.subject)
    .bind(new.sender_name)
    .bind(new.sender_email)
    .bind(new.person_id)
    .bind(new.organisation_id)
    .bind(new.language)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    insert_message(tx, &id, "incoming", None, new.message, now).await?;
    Ok(id)
}

async fn insert_message(
    tx: &mut DbTx,
    conversation_id: &str,
    direction: &str,
    author_id: Option<&str>,
    body: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into contact_message (message_id, conversation_id, direction, author_id, body, created_at) \
         values ($1, $2, $3, $4, $5, $6)"
    )
    .bind(new_id())
    .bind(conversation_id)
    .bind(direction)
    .bind(author_id)
    .bind(body)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// A person's name and login e-mail (a logged-in sender).
pub async fn person_contact(db: &Db, person_id: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_as(
        "select full_name, email from person where person_id = $1"
    )
    .bind(person_id)
    .fetch_optional(pool)
    .await)
}

/// What the inbox asks for: a status, the staff member for "Assignées à moi" (or empty) and
/// a lower-cased `like` pattern (or empty).
pub struct InboxFilter {
    pub status: StatusFilter,
    pub assigned_to: String,
    pub pattern: String,
}

const INBOX_WHERE: &str = "where ($1 = 'all' or c.status = $1) and ($2 = '' or c.assigned_to = $2) and ($3 = '' \
     or lower(c.subject) like $3 escape '\\' or lower(c.sender_name) like $3 escape '\\' \
     or lower(c.sender_email) like $3 escape '\\' or lower(coalesce(o.legal_name, '')) like $3 escape '\\' \
     or exists (select 1 from contact_message m where m.conversation_id = c.conversation_id \
     and lower(m.body) like $3 escape '\\'))";

type SummaryRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    i64,
    Timestamp,
);

/// One page of conversations, latest message first, and how many match over every page.
pub async fn page(
    db: &Db,
    filter: &InboxFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ConversationSummary>, i64), sqlx::Error> {
    let count_sql = format!(
        "select count(*) from contact_conversation c \
         left join organisation o on o.organisation_id = c.organisation_id {INBOX_WHERE}"
    );
    let total: i64 = on_pool!(db, |pool| sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.clone()))
        .bind(filter.status.as_str())
        .bind(&filter.assigned_to)
        .bind(&filter.pattern)
        .fetch_one(pool)
        .await)?;
    let sql = format!(
        "select c.conversation_id, c.subject, c.topic, c.sender_name, c.sender_email, o.legal_name, c.status, \
         s.full_name, (select count(*) from contact_message m where m.conversation_id = c.conversation_id), \
         c.updated_at from contact_conversation c \
         left join organisation o on o.organisation_id = c.organisation_id \
         left join person s on s.person_id = c.assigned_to {INBOX_WHERE} \
         order by c.updated_at desc, c.conversation_id desc limit $4 offset $5"
    );
    let rows: Vec<SummaryRow> = on_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(filter.status.as_str())
        .bind(&filter.assigned_to)
        .bind(&filter.pattern)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await)?;
    let items = rows
        .into_iter()
        .map(
            |(
                conversation_id,
                subject,
                topic,
                sender_name,
                sender_email,
                organisation,
                status,
                assigned_to,
                messages,
                updated_at,
            )| {
                ConversationSummary {
                    conversation_id,
                    subject,
                    topic,
                    sender_name,
                    sender_email,
                    organisation,
                    status,
                    assigned_to,
                    messages,
                    updated_at: updated_at.to_rfc3339(),
                }
            },
        )
        .collect();
    Ok((items, total))
}

/// How many conversations are open.
pub async fn open_count(db: &Db) -> Result<i64, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_scalar(
        "select count(*) from contact_conversation where status = 'open'"
    )
    .fetch_one(pool)
    .await)
}

#[derive(sqlx::FromRow)]
struct ConversationRow {
    conversation_id: String,
    subject: String,
    topic: String,
    sender_name: String,
    sender_email: String,
    person_id: Option<String>,
    organisation_id: Option<String>,
    organisation: Option<String>,
    language: String,
    status: String,
    assigned_to_id: Option<String>,
    assigned_to: Option<String>,
    created_at: Timestamp,
    closed_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    message_id: String,
    direction: String,
    author: Option<String>,
    body: String,
    created_at: Timestamp,
}

/// A conversation with its messages, oldest first (the staff list comes from [`staff`]).
pub async fn conversation(db: &Db, conversation_id: &str) -> Result<Option<Conversation>, sqlx::Error> {
    let row: Option<ConversationRow> = on_pool!(db, |pool| sqlx::query_as(
        "select c.conversation_id, c.subject, c.topic, c.sender_name, c.sender_email, c.person_id, \
         c.organisation_id, o.legal_name as organisation, c.language, c.status, c.assigned_to as assigned_to_id, \
         s.full_name as assigned_to, c.created_at, c.closed_at from contact_conversation c \
         left join organisation o on o.organisation_id = c.organisation_id \
         left join person s on s.person_id = c.assigned_to where c.conversation_id = $1"
    )
    .bind(conversation_id)
    .fetch_optional(pool)
    .await)?;
    let Some(row) = row else {
        return Ok(None);
    };
    let messages: Vec<MessageRow> = on_pool!(db, |pool| sqlx::query_as(
        "select m.message_id, m.direction, p.full_name as author, m.body, m.created_at from contact_message m \
         left join person p on p.person_id = m.author_id where m.conversation_id = $1 \
         order by m.created_at, m.message_id"
    )
    .bind(conversation_id)
    .fetch_all(pool)
    .await)?;
    let sender = row.sender_name.clone();
    Ok(Some(Conversation {
        conversation_id: row.conversation_id,
        subject: row.subject,
        topic: row.topic,
        sender_name: row.sender_name,
        sender_email: row.sender_email,
        person_id: row.person_id,
        organisation_id: row.organisation_id,
        organisation: row.organisation,
        language: row.language,
        status: row.status,
        assigned_to_id: row.assigned_to_id,
        assigned_to: row.assigned_to,
        created_at: row.created_at.to_rfc3339(),
        closed_at: row.closed_at.map(|t| t.to_rfc3339()),
        messages: messages
            .into_iter()
            .map(|m| ContactMessage {
                message_id: m.message_id,
                author: m.author.unwrap_or_else(|| sender.clone()),
                direction: m.direction,
                body: m.body,
                created_at: m.created_at.to_rfc3339(),
            })
            .collect(),
        staff: Vec::new(),
    }))
}

/// Every staff member, by name: who a conversation can be assigned to.
pub async fn staff(db: &Db) -> Result<Vec<Assignee>, sqlx::Error> {
    let rows: Vec<(String, String)> = on_pool!(db, |pool| sqlx::query_as(
        "select person_id, full_name from person where staff_role is not null order by full_name, person_id"
    )
    .fetch_all(pool)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(person_id, full_name)| Assignee { person_id, full_name })
        .collect())
}

/// Whether `person_id` is a staff member, inside the assigning transaction.
pub async fn is_staff(tx: &mut DbTx, person_id: &str) -> Result<bool, sqlx::Error> {
    let found: i64 = on_tx!(tx, |conn| sqlx::query_scalar(
        "select count(*) from person where person_id = $1 and staff_role is not null"
    )
    .bind(person_id)
    .fetch_one(conn)
    .await)?;
    Ok(found > 0)
}

/// What an answer needs: status, sender's e-mail and name, subject, language, assignee.
pub struct ForAnswer {
    pub status: String,
    pub sender_email: String,
    pub sender_name: String,
    pub subject: String,
    pub language: String,
    pub assigned_to: Option<String>,
}

/// A conversation's state inside a write transaction.
pub async fn for_update(tx: &mut DbTx, conversation_id: &str) -> Result<Option<ForAnswer>, sqlx::Error> {
    let row: Option<(String, String, String, String, String, Option<String>)> = on_tx!(tx, |conn| sqlx::query_as(
        "select status, sender_email, sender_name, subject, language, assigned_to from contact_conversation \
         where conversation_id = $1"
    )
    .bind(conversation_id)
    .fetch_optional(conn)
    .await)?;
    Ok(row.map(
        |(status, sender_email, sender_name, subject, language, assigned_to)| ForAnswer {
            status,
            sender_email,
            sender_name,
            subject,
            language,
            assigned_to,
        },
    ))
}

/// Assigns a conversation to a staff member (or to nobody).
pub async fn set_assignee(tx: &mut DbTx, conversation_id: &str, assignee: Option<&str>) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update contact_conversation set assigned_to = $2 where conversation_id = $1"
    )
    .bind(conversation_id)
    .bind(assignee)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Stores staff's answer of an open conversation. `false` when the conversation was no longer
/// open: the guard in the `where` holds the row until commit on PostgreSQL, so an answer and
/// a close racing each other never both win (SQLite runs one writer at a time).
pub async fn add_answer(
    tx: &mut DbTx,
    conversation_id: &str,
    author_id: &str,
    body: &str,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = on_tx!(tx, |conn| sqlx::query(
        "update contact_conversation set updated_at = $2 where conversation_id = $1 and status = 'open'"
    )
    .bind(conversation_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    if done != 1 {
        return Ok(false);
    }
    insert_message(tx, conversation_id, "outgoing", Some(author_id), body, now).await?;
    Ok(true)
}

/// Closes (`closed_at` set) or reopens a conversation. `false` when it already had that status.
pub async fn set_status(tx: &mut DbTx, conversation_id: &str, open: bool, now: Timestamp) -> Result<bool, sqlx::Error> {
    let (to, from) = if open { ("open", "closed") } else { ("closed", "open") };
    let closed_at = (!open).then_some(now);
    let done = on_tx!(tx, |conn| sqlx::query(
        "update contact_conversation set status = $2, closed_at = $3 where conversation_id = $1 and status = $4"
    )
    .bind(conversation_id)
    .bind(to)
    .bind(closed_at)
    .bind(from)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}
