-- "Scan to pay" in the invoice e-mail (issue 23): the text of the EPC QR code, drawn as an
-- inline image when the message is sent; null for every other message.
-- Keep in lock-step with ../sqlite/20261205130000_outgoing_email_qr.sql.
alter table outgoing_email add column qr_payload text;
