-- The help centre "En quoi pouvons-nous vous aider ?" (issue 8): sections, questions and
-- answers in French, Dutch and English, editable by staff, and the folded text search reads
-- (lower case, no accents: computed by the app, so both engines search the same words).
-- Keep in lock-step with ../sqlite/20261130000016_help_centre.sql.

create table help_section (
    section_id text primary key,            -- slug: programme, eligibility, microsoft…
    position integer not null,
    title_fr text not null,
    title_nl text not null,
    title_en text not null
);

create table help_question (
    question_id text primary key,           -- slug
    section_id text not null references help_section (section_id),
    position integer not null,
    question_fr text not null,
    question_nl text not null,
    question_en text not null,
    answer_fr text not null,                -- paragraphs, links written [label](/path)
    answer_nl text not null,
    answer_en text not null,
    updated_at timestamptz,
    updated_by text references person (person_id)
);

create index help_question_section_idx on help_question (section_id, position);

-- One row per question and language: the question and its answer, folded.
create table help_text (
    question_id text not null references help_question (question_id),
    locale text not null check (locale in ('fr', 'nl', 'en')),
    content text not null,
    primary key (question_id, locale)
);

-- PostgreSQL's full-text index: the 'simple' configuration (no stemming, no stop words) over
-- text the app already folded. SQLite uses an FTS5 table instead.
create index help_text_fts_idx on help_text using gin (to_tsvector('simple', content));
