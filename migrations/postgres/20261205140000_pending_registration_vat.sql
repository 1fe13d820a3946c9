-- The VAT status and number asked by the registration form, kept with the pending
-- registration until its link creates the organisation (organisation.vat_status and
-- vat_number, 20261205120000_money_trail). Registrations sent before the question read as
-- 'none' without a number.
-- Keep in lock-step with ../sqlite/20261205140000_pending_registration_vat.sql.
alter table pending_registration add column vat_status text not null default 'none'
    check (vat_status in ('none', 'exempt', 'franchise', 'taxable', 'mixed'));
alter table pending_registration add column vat_number text;   -- BE0123456749 / LU12345678
