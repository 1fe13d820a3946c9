//! SQL of the help centre. Search is the one place the two engines differ: SQLite asks its
//! FTS5 index, PostgreSQL a `tsvector` GIN index; both over the same folded text.

use crate::db::{Db, DbTx, Timestamp};
use crate::help::model::{HelpEntry, HelpQuestion, HelpSection, HelpTexts, ShippedHelp, ShippedSection};
use crate::help::rules::fold;
use crate::{on_pool, on_tx};

/// The languages of the help centre; the name picks the columns (`question_fr`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    Nl,
    En,
}

impl Lang {
    pub fn parse(code: &str) -> Lang {
        match code {
            "nl" => Lang::Nl,
            "en" => Lang::En,
            _ => Lang::Fr,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    const ALL: [Lang; 3] = [Lang::Fr, Lang::Nl, Lang::En];
}

#[derive(sqlx::FromRow)]
struct QuestionRow {
    question_id: String,
    section_id: String,
    question: String,
    answer: String,
}

impl From<QuestionRow> for HelpQuestion {
    fn from(row: QuestionRow) -> Self {
        HelpQuestion {
            question_id: row.question_id,
            section_id: row.section_id,
            question: row.question,
            answer: row.answer,
        }
    }
}

/// What [`sync_shipped`] changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Shipped questions the database did not have (a new installation: all of them).
    pub added: u64,
    /// Questions staff never edited whose shipped texts changed (a corrected answer).
    pub refreshed: u64,
}

/// Brings the database's help centre up to the shipped one, at every start: sections and
/// questions it lacks (by slug) are added; the texts of questions staff never edited follow the
/// shipped ones; a question staff edited keeps their texts. Nothing is deleted. Two instances
/// starting together insert nothing twice.
pub async fn sync_shipped(db: &Db, shipped: &ShippedHelp) -> Result<SyncReport, sqlx::Error> {
    let mut tx = db.begin().await?;
    let mut report = SyncReport::default();
    for section in &shipped.sections {
        upsert_section(&mut tx, section).await?;
        for question in &section.questions {
            let texts = HelpTexts {
                question_fr: question.question.fr.clone(),
                question_nl: question.question.nl.clone(),
                question_en: question.question.en.clone(),
                answer_fr: question.answer.fr.clone(),
                answer_nl: question.answer.nl.clone(),
                answer_en: question.answer.en.clone(),
            };
            if insert_question(&mut tx, &section.slug, question.position, &question.slug, &texts).await? {
                report.added += 1;
            } else if refresh_unedited(&mut tx, &question.slug, question.position, &texts).await? {
                report.refreshed += 1;
            } else {
                continue;
            }
            index_question(&mut tx, &question.slug, &texts).await?;
        }
    }
    if report != SyncReport::default() {
        rebuild_index(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(report)
}

/// Adds a shipped section, or brings its titles and place up to date (staff do not edit them).
async fn upsert_section(tx: &mut DbTx, section: &ShippedSection) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into help_section (section_id, position, title_fr, title_nl, title_en) \
         values ($1, $2, $3, $4, $5) on conflict (section_id) do update set position = excluded.position, \
         title_fr = excluded.title_fr, title_nl = excluded.title_nl, title_en = excluded.title_en \
         where help_section.position <> excluded.position or help_section.title_fr <> excluded.title_fr \
         or help_section.title_nl <> excluded.title_nl or help_section.title_en <> excluded.title_en"
    )
    .bind(&section.slug)
    .bind(section.position)
    .bind(&section.title.fr)
    .bind(&section.title.nl)
    .bind(&section.title.en)
    .execute(conn)
    .await
    .map(|d| d.rows_affected()))?;
    Ok(())
}

/// Inserts a shipped question the database lacks; whether it did.
async fn insert_question(
    tx: &mut DbTx,
    section_id: &str,
    position: i32,
    question_id: &str,
    texts: &HelpTexts,
) -> Result<bool, sqlx::Error> {
    let inserted = on_tx!(tx, |conn| sqlx::query(
        "insert into help_question (question_id, section_id, position, question_fr, question_nl, \
         question_en, answer_fr, answer_nl, answer_en) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         on conflict do nothing"
    )
    .bind(question_id)
    .bind(section_id)
    .bind(position)
    .bind(&texts.question_fr)
    .bind(&texts.question_nl)
    .bind(&texts.question_en)
    .bind(&texts.answer_fr)
    .bind(&texts.answer_nl)
    .bind(&texts.answer_en)
    .execute(conn)
    .await
    .map(|d| d.rows_affected()))?;
    Ok(inserted == 1)
}

/// Gives a question staff never edited (`updated_at` is null) the shipped texts and place,
/// when they differ; whether it did. A question staff edited keeps their texts and place.
async fn refresh_unedited(
    tx: &mut DbTx,
    question_id: &str,
    position: i32,
    texts: &HelpTexts,
) -> Result<bool, sqlx::Error> {
    let changed = on_tx!(tx, |conn| sqlx::query(
        "update help_question set position = $2, question_fr = $3, question_nl = $4, question_en = $5, \
         answer_fr = $6, answer_nl = $7, answer_en = $8 \
         where question_id = $1 and updated_at is null and (position <> $2 or question_fr <> $3 \
         or question_nl <> $4 or question_en <> $5 or answer_fr <> $6 or answer_nl <> $7 or answer_en <> $8)"
    )
    .bind(question_id)
    .bind(position)
    .bind(&texts.question_fr)
    .bind(&texts.question_nl)
    .bind(&texts.question_en)
    .bind(&texts.answer_fr)
    .bind(&texts.answer_nl)
    .bind(&texts.answer_en)
    .execute(conn)
    .await
    .map(|d| d.rows_affected()))?;
    Ok(changed == 1)
}

/// Writes the folded text of one question in each language (replacing what was there).
async fn index_question(tx: &mut DbTx, question_id: &str, texts: &HelpTexts) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query("delete from help_text where question_id = $1")
        .bind(question_id)
        .execute(conn)
        .await
        .map(|d| d.rows_affected()))?;
    for lang in Lang::ALL {
        let (question, answer) = match lang {
            Lang::Fr => (&texts.question_fr, &texts.answer_fr),
            Lang::Nl => (&texts.question_nl, &texts.answer_nl),
            Lang::En => (&texts.question_en, &texts.answer_en),
        };
        let content = format!("{} {}", fold(question), fold(answer));
        on_tx!(tx, |conn| sqlx::query(
            "insert into help_text (question_id, locale, content) values ($1, $2, $3) on conflict do nothing"
        )
        .bind(question_id)
        .bind(lang.code())
        .bind(&content)
        .execute(conn)
        .await
        .map(|d| d.rows_affected()))?;
    }
    Ok(())
}

/// SQLite's FTS5 index follows its content table only when told to (PostgreSQL's GIN index
/// follows by itself).
async fn rebuild_index(tx: &mut DbTx) -> Result<(), sqlx::Error> {
    if let DbTx::Sqlite(conn, _) = tx {
        sqlx::query("insert into help_fts (help_fts) values ('rebuild')")
            .execute(&mut **conn)
            .await?;
    }
    Ok(())
}

/// Every section with its questions, in order, in `lang`.
pub async fn sections(db: &Db, lang: Lang) -> Result<Vec<HelpSection>, sqlx::Error> {
    let code = lang.code();
    let heads: Vec<(String, String)> = on_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select section_id, title_{code} from help_section order by position, section_id"
    )))
    .fetch_all(pool)
    .await)?;
    let rows: Vec<QuestionRow> = on_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select question_id, section_id, question_{code} as question, answer_{code} as answer \
         from help_question order by position, question_id"
    )))
    .fetch_all(pool)
    .await)?;
    let mut sections: Vec<HelpSection> = heads
        .into_iter()
        .map(|(section_id, title)| HelpSection {
            section_id,
            title,
            questions: Vec::new(),
        })
        .collect();
    for row in rows {
        if let Some(section) = sections.iter_mut().find(|s| s.section_id == row.section_id) {
            section.questions.push(row.into());
        }
    }
    Ok(sections)
}

/// The questions whose folded text holds every term (as a word or a word's beginning), best
/// first, at most `limit`. `terms` come from [`crate::help::rules::query_terms`]: letters and
/// digits only.
pub async fn search(db: &Db, lang: Lang, terms: &[String], limit: i64) -> Result<Vec<HelpQuestion>, sqlx::Error> {
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let code = lang.code();
    let columns = format!("q.question_id, q.section_id, q.question_{code} as question, q.answer_{code} as answer");
    let rows: Vec<QuestionRow> = match db {
        Db::Sqlite(pool, _) => {
            // FTS5 query syntax: "word"* for each term, all required.
            let expression = terms.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(" ");
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {columns} from help_fts \
                 join help_text t on t.rowid = help_fts.rowid \
                 join help_question q on q.question_id = t.question_id \
                 where help_fts match $1 and t.locale = $2 \
                 order by bm25(help_fts), q.position limit $3"
            )))
            .bind(expression)
            .bind(code)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }
        Db::Postgres(pool) => {
            // tsquery syntax: word:* for each term, all required.
            let expression = terms.iter().map(|t| format!("{t}:*")).collect::<Vec<_>>().join(" & ");
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select {columns} from help_text t \
                 join help_question q on q.question_id = t.question_id \
                 where to_tsvector('simple', t.content) @@ to_tsquery('simple', $1) and t.locale = $2 \
                 order by ts_rank(to_tsvector('simple', t.content), to_tsquery('simple', $1)) desc, q.position \
                 limit $3"
            )))
            .bind(expression)
            .bind(code)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }
    };
    Ok(rows.into_iter().map(Into::into).collect())
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    question_id: String,
    section_id: String,
    section_title: String,
    question_fr: String,
    question_nl: String,
    question_en: String,
    answer_fr: String,
    answer_nl: String,
    answer_en: String,
    updated_at: Option<Timestamp>,
}

const ENTRY_COLUMNS: &str = "q.question_id, q.section_id, s.title_fr as section_title, q.question_fr, \
     q.question_nl, q.question_en, q.answer_fr, q.answer_nl, q.answer_en, q.updated_at";

impl From<EntryRow> for HelpEntry {
    fn from(row: EntryRow) -> Self {
        HelpEntry {
            question_id: row.question_id,
            section_id: row.section_id,
            section_title: row.section_title,
            texts: HelpTexts {
                question_fr: row.question_fr,
                question_nl: row.question_nl,
                question_en: row.question_en,
                answer_fr: row.answer_fr,
                answer_nl: row.answer_nl,
                answer_en: row.answer_en,
            },
            updated_at: row.updated_at,
        }
    }
}

/// Every question in the three languages, in the help centre's order (staff's editor).
pub async fn entries(db: &Db) -> Result<Vec<HelpEntry>, sqlx::Error> {
    let rows: Vec<EntryRow> = on_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {ENTRY_COLUMNS} from help_question q join help_section s on s.section_id = q.section_id \
         order by s.position, q.position, q.question_id"
    )))
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// One question in the three languages, locked for an edit.
pub async fn entry_for_update(tx: &mut DbTx, question_id: &str) -> Result<Option<HelpEntry>, sqlx::Error> {
    let row: Option<EntryRow> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {ENTRY_COLUMNS} from help_question q join help_section s on s.section_id = q.section_id \
         where q.question_id = $1"
    )))
    .bind(question_id)
    .fetch_optional(conn)
    .await)?;
    Ok(row.map(Into::into))
}

/// Saves staff's new texts of a question and re-indexes it.
pub async fn update_question(
    tx: &mut DbTx,
    question_id: &str,
    texts: &HelpTexts,
    by: &str,
    at: Timestamp,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "update help_question set question_fr = $2, question_nl = $3, question_en = $4, answer_fr = $5, \
         answer_nl = $6, answer_en = $7, updated_at = $8, updated_by = $9 where question_id = $1"
    )
    .bind(question_id)
    .bind(&texts.question_fr)
    .bind(&texts.question_nl)
    .bind(&texts.question_en)
    .bind(&texts.answer_fr)
    .bind(&texts.answer_nl)
    .bind(&texts.answer_en)
    .bind(at)
    .bind(by)
    .execute(conn)
    .await
    .map(|d| d.rows_affected()))?;
    index_question(tx, question_id, texts).await?;
    rebuild_index(tx).await
}
