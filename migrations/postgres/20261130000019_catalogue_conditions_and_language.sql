-- Catalogue management writes each product's conditions in the three UI languages, and
-- each person's chosen UI language is remembered across devices (issue 8).
-- Keep in lock-step with ../sqlite/20261130000019_catalogue_conditions_and_language.sql.

alter table product add column conditions_fr text not null default '';
alter table product add column conditions_nl text not null default '';
alter table product add column conditions_en text not null default '';

alter table person add column language text check (language in ('fr', 'nl', 'en'));  -- null: not chosen yet
