-- "Mon organisation est-elle inscrite ?" questions are answered and closed by staff: the
-- language the question was asked in (the answer's template is written in it), and the answer
-- that closed it (who, when, which template, the text e-mailed). Questions asked before this
-- read as open and French.
-- Keep in lock-step with ../postgres/20261206030000_inquiry_answer.sql.
alter table registration_inquiry add column language text not null default 'fr';
alter table registration_inquiry add column status text not null default 'open'
    check (status in ('open', 'answered'));
alter table registration_inquiry add column answer_template text;  -- registered, not_registered, need_info, free
alter table registration_inquiry add column answer_text text;      -- the text e-mailed
alter table registration_inquiry add column answered_by text references person (person_id);
alter table registration_inquiry add column answered_at text;

-- The staff list: open (or answered) questions, newest first, one page at a time.
create index registration_inquiry_status_idx on registration_inquiry (status, created_at);
