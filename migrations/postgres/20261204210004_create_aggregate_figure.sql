-- Programme-wide figures (the home counters) as every instance shows them: computed once per
-- cache period by whichever instance comes first, then read by all, so that visitors see the
-- same figures whichever instance answers (issue 21 saw 29, 28, 28 in turn).
-- Keep in lock-step with ../sqlite/20261204210004_create_aggregate_figure.sql.
create table aggregate_figure (
    name text not null,
    period bigint not null,                   -- seconds since the epoch / the cache period
    value_json text not null,
    computed_at timestamptz not null,
    primary key (name, period)
);
