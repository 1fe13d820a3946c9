-- Staff record the day Autodesk's waiver was received, beside the Microsoft discount
-- certificate's issue day and the declared direct Autodesk purchase (issue 8).
-- Keep in lock-step with ../postgres/20261130000018_partner_documents.sql.

alter table organisation add column autodesk_waiver_on text;  -- YYYY-MM-DD; autodesk_waiver follows it
