-- The migration import (issue 24): bringing an existing programme over from CSV files.
-- Keep in lock-step with ../postgres/20261206050000_migration_import.sql.

-- What the import made of each legacy record, and the digest of the record as the files gave
-- it: a re-run of the same files finds every record unchanged and writes nothing.
create table migration_record (
    kind text not null check (kind in ('organisation', 'order', 'counter')),
    legacy_key text not null,               -- the legacy id, order reference or counter name
    entity_id text not null,                -- organisation_id, order_id or counter name
    digest text not null,                   -- sha-256 of the normalised record
    created_at text not null,
    updated_at text not null,
    primary key (kind, legacy_key)
);

-- Past orders brought over keep their legacy reference and get no invoice: invoice and
-- credit-note numbers stay gap-free per year.
alter table purchase_order add column imported_at text;

-- The home counters' history from before the migrated orders (organisations registered,
-- money saved, products distributed): added to what the database counts.
create table counter_offset (
    name text primary key check (name in ('organisations', 'saved_cents', 'products_distributed')),
    value bigint not null,
    updated_at text not null
);

-- Each upload and run of the staff page: the files as uploaded (a dry run's files are the
-- ones "Importer" then imports) and the report.
create table migration_run (
    migration_run_id text primary key,      -- UUIDv7
    mode text not null check (mode in ('dry_run', 'import')),
    source_run_id text references migration_run (migration_run_id),  -- the dry run imported
    files_json text not null,
    report_json text not null,
    created_by text references person (person_id),
    created_at text not null
);
