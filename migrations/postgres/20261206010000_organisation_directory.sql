-- The staff's organisation directory (issue 24): what each organisation is found by, one row
-- per search term, so that a search is a range on an index, never a scan of 100,000
-- organisations. A term is a folded word (lower case, accents removed) of the legal name, the
-- city, the postal code or a member's name; the enterprise number (also without its leading
-- zero); an e-mail address. The app writes them (app::directory::db::reindex) on every write
-- of those data, from domain::directory::rules::search_terms.
-- Keep in lock-step with ../sqlite/20261206010000_organisation_directory.sql.

create table organisation_search_term (
    -- byte order, as in SQLite: the prefix range `term >= p and term < p || U+10FFFF` then
    -- holds exactly the terms starting with p, whatever the database's locale
    term text collate "C" not null,
    organisation_id text not null references organisation (organisation_id) on delete cascade,
    primary key (term, organisation_id)
);

-- Rewriting one organisation's terms.
create index organisation_search_term_organisation_idx on organisation_search_term (organisation_id);

-- The directory without a search lists organisations by name, a page at a time: read in
-- this order, no sort of every organisation.
create index organisation_legal_name_idx on organisation (legal_name, organisation_id);
