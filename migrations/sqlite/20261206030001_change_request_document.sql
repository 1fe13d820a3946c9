-- A change request carries its supporting document (amended statutes, a new registration
-- extract): an uploaded document of kind 'change_request' of the same organisation, stored in
-- the document table like the statutes. Required for a new name or enterprise number.
-- Keep in lock-step with ../postgres/20261206030001_change_request_document.sql.
alter table change_request add column document_id text references document (document_id);
