-- The terms of sale ("Conditions générales de vente") and the privacy notice ("Protection de
-- la vie privée") in French, Dutch and English. The shipped texts are loaded once at start
-- (app/src/legal/content.json); admins edit them afterwards, each edit audited.
-- Keep in lock-step with ../sqlite/20261207030001_legal_text.sql.

create table legal_text (
    page text not null check (page in ('terms', 'privacy')),
    language text not null check (language in ('fr', 'nl', 'en')),
    body text not null,
    updated_at timestamptz not null,
    updated_by text references person (person_id),                  -- null: the shipped text
    primary key (page, language)
);
