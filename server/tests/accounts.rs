//! Accounts, registration and the eligibility review over HTTP: who may call what, answers
//! that do not reveal whether an account exists, and the review flow end to end.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common;

use common::{
    Caller, DEMO_PASSWORD, MFA_COOKIE_PREFIX, TestApp, live_session_cookie, set_cookie_named, spawn_app, urlencode,
};

const AMIS: &str = "Les Amis du Quartier ASBL";
const BIBLIO: &str = "Bibliothèque publique de Namur";

/// The registration form of a new Belgian ASBL; `number` varies per test.
pub(crate) fn registration(number: &str, email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form[legal_name]", "Les Amis du Parc ASBL".into()),
        ("form[legal_form]", "asbl".into()),
        ("form[country]", "BE".into()),
        ("form[enterprise_number]", number.into()),
        ("form[street]", "Rue du Parc 1".into()),
        ("form[postal_code]", "1000".into()),
        ("form[city]", "Bruxelles".into()),
        ("form[contact_email]", "info@amisduparc.example.org".into()),
        ("form[mission_category]", "youth".into()),
        ("form[holder_name]", "Anne Peeters".into()),
        ("form[holder_email]", email.into()),
        ("form[password]", "un long mot de passe".into()),
    ]
}

pub(crate) fn as_refs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Checks out one refurbished laptop as `holder`: the checkout, invoice and order ids.
async fn order_a_laptop(app: &TestApp, holder: &Caller, idempotency_key: &str) -> (String, String, String) {
    let (status, placed) = app
        .call_as(
            holder,
            "checkout",
            &[
                ("idempotency_key", idempotency_key),
                ("lines[0][slug]", "dell-latitude-5420"),
                ("lines[0][quantity]", "1"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{placed}");
    let checkout_id = placed["Placed"]["checkout_id"].as_str().expect("placed").to_owned();
    let (_, invoices) = app
        .call_as(holder, "load_checkout", &[("checkout_id", &checkout_id)])
        .await;
    let invoice_id = invoices[0]["invoice_id"].as_str().expect("an invoice").to_owned();
    let order_id = invoices[0]["order_id"].as_str().expect("an order").to_owned();
    (checkout_id, invoice_id, order_id)
}

/// A server function, its arguments and the expected status for each caller.
type Row<'a> = (&'a str, Vec<(&'a str, &'a str)>, [u16; 6]);

#[tokio::test]
async fn every_server_function_authorises_its_caller() {
    let app = spawn_app().await.with_demo().await;
    let anonymous = Caller::default();
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let member = app.login("amis-membre", DEMO_PASSWORD).await;
    let other = app.login("biblio", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let amis = app.organisation_id(AMIS).await;
    let biblio = app.organisation_id(BIBLIO).await;
    // An order of Les Amis, for the rows about checkouts and invoices.
    let (checkout_id, invoice_id, order_id) = order_a_laptop(&app, &holder, "matrix-setup-key-0001").await;
    let dell = [("lines[0][slug]", "dell-latitude-5420"), ("lines[0][quantity]", "1")];
    // A validation token of Les Amis, for the rows about refreshing and revoking.
    let token_form = [
        ("form[for_whom]", "self"),
        ("form[recipient_name]", ""),
        ("form[recipient_email]", ""),
        ("form[purpose]", "Matrix setup"),
        ("form[partner_id]", ""),
    ];
    assert_eq!(app.call_as(&holder, "create_token", &token_form).await.0, 200);
    let (_, tokens) = app.call_as(&holder, "my_tokens", &[("page", "0")]).await;
    let token_id = tokens["tokens"][0]["token_id"].as_str().unwrap().to_owned();

    // (endpoint, arguments, [anonymous, holder, member, other organisation, staff agent, staff admin])
    let table: Vec<Row> = vec![
        ("catalogue_viewer", vec![], [200, 200, 200, 200, 200, 200]),
        ("load_cart", vec![], [401, 200, 200, 200, 403, 403]),
        ("save_cart", dell.to_vec(), [401, 200, 200, 200, 403, 403]),
        (
            "add_to_cart",
            vec![("slug", "dell-latitude-5420"), ("quantity", "1")],
            [401, 200, 200, 200, 403, 403],
        ),
        ("checkout_address", vec![], [401, 200, 200, 200, 403, 403]),
        // The member replays the holder's key (one checkout); Biblio checks out its own.
        (
            "checkout",
            [("idempotency_key", "matrix-key-0000000001")]
                .into_iter()
                .chain(dell)
                .collect(),
            [401, 200, 200, 200, 403, 403],
        ),
        // A revision no cart has: every member is told the cart changed.
        (
            "checkout_cart",
            vec![("revision", "cart-00000000000000000000")],
            [401, 409, 409, 409, 403, 403],
        ),
        (
            "load_checkout",
            vec![("checkout_id", &checkout_id)],
            [401, 200, 200, 404, 200, 200],
        ),
        (
            "load_invoice",
            vec![("invoice_id", &invoice_id)],
            [401, 200, 200, 404, 200, 200],
        ),
        (
            "list_payments",
            vec![("exceptions_only", "true"), ("page", "0")],
            [401, 403, 403, 403, 200, 200],
        ),
        (
            "import_statement",
            vec![("xml", "<x/>")],
            [401, 403, 403, 403, 422, 422],
        ),
        (
            "record_payment",
            vec![("reference", "nope"), ("amount", "1"), ("booked_on", "2026-11-27")],
            [401, 403, 403, 403, 422, 422],
        ),
        (
            "resolve_payment",
            vec![("payment_id", "nope")],
            [401, 403, 403, 403, 404, 404],
        ),
        // The money trail (issue 23): staff only; bad input is a field error, never a change.
        (
            "mark_order_paid",
            vec![("order_id", &order_id), ("amount", "abc"), ("paid_on", "")],
            [401, 403, 403, 403, 422, 422],
        ),
        ("refunds_due", vec![], [401, 403, 403, 403, 200, 200]),
        (
            "record_refund",
            vec![
                ("input[invoice_id]", &invoice_id),
                ("input[amount]", "abc"),
                ("input[iban]", "BE68 5390 0754 7034"),
                ("input[paid_on]", ""),
                ("input[note]", ""),
            ],
            [401, 403, 403, 403, 422, 422],
        ),
        (
            "assign_payment",
            vec![("payment_id", "nope"), ("reference", "nope")],
            [401, 403, 403, 403, 422, 422],
        ),
        // "Mes demandes", the order page, cancellation and refunds: the organisation's own
        // members (and staff, for the page and cancellation); another organisation is told
        // the order does not exist. The line id is wrong on purpose: nothing changes.
        ("my_orders", vec![("filter[page]", "0")], [401, 200, 200, 200, 403, 403]),
        ("donations", vec![], [401, 200, 200, 200, 403, 403]),
        (
            "load_order",
            vec![("order_id", &order_id)],
            [401, 200, 200, 404, 200, 200],
        ),
        (
            "cancel_order",
            vec![("order_id", &order_id), ("lines[0]", "nope"), ("reason", "Test")],
            [401, 422, 422, 404, 422, 422],
        ),
        (
            "request_refund",
            vec![
                ("order_id", &order_id),
                ("lines[0]", "nope"),
                ("reason", "Test"),
                ("declaration", "false"),
            ],
            [401, 422, 422, 404, 403, 403],
        ),
        // Staff processing: staff only; each answer names what is wrong with the request.
        (
            "staff_orders",
            vec![("filter[page]", "0")],
            [401, 403, 403, 403, 200, 200],
        ),
        (
            "order_step",
            vec![("order_id", &order_id), ("action", "nope"), ("note", "")],
            [401, 403, 403, 403, 422, 422],
        ),
        (
            "cisco_decision",
            vec![("order_id", &order_id), ("approved", "true"), ("note", "")],
            [401, 403, 403, 403, 409, 409],
        ),
        (
            "add_shipment",
            vec![
                ("order_id", &order_id),
                ("shipped_on", ""),
                ("carrier", "bpost"),
                ("tracking", "X"),
                ("items", "1 PC"),
                ("delivered_on", ""),
            ],
            [401, 403, 403, 403, 422, 422],
        ),
        (
            "set_fulfilment",
            vec![
                ("order_id", &order_id),
                ("order_line_id", "nope"),
                ("code", ""),
                ("note", ""),
                ("expires_on", ""),
            ],
            [401, 403, 403, 403, 409, 409],
        ),
        (
            "mark_delivered",
            vec![
                ("order_id", &order_id),
                ("shipment_id", "nope"),
                ("delivered_on", "2026-11-01"),
            ],
            [401, 403, 403, 403, 404, 404],
        ),
        (
            "decide_refund",
            vec![("refund_request_id", "nope"), ("accepted", "true"), ("response", "")],
            [401, 403, 403, 403, 404, 404],
        ),
        // Validation tokens: the holder creates, refreshes and revokes; members list the
        // tokens made for them; another organisation is told the token does not exist.
        ("my_tokens", vec![("page", "0")], [401, 200, 200, 200, 403, 403]),
        (
            "create_token",
            vec![
                ("form[for_whom]", "self"),
                ("form[recipient_name]", ""),
                ("form[recipient_email]", ""),
                ("form[purpose]", "Matrix"),
                ("form[partner_id]", ""),
            ],
            [401, 200, 403, 200, 403, 403],
        ),
        (
            "refresh_token",
            vec![("token_id", &token_id)],
            [401, 409, 403, 404, 403, 403],
        ),
        (
            "revoke_token",
            vec![("token_id", &token_id)],
            [401, 200, 403, 404, 403, 403],
        ),
        ("partner_clients", vec![], [401, 403, 403, 403, 200, 200]),
        (
            "create_partner_client",
            vec![("name", ""), ("partner_id", "nope"), ("rate_per_minute", "")],
            [401, 403, 403, 403, 422, 422],
        ),
        (
            "revoke_partner_client",
            vec![("partner_client_id", "nope")],
            [401, 403, 403, 403, 404, 404],
        ),
        // The partner's key is the credential, whoever is logged in.
        (
            "check_token",
            vec![("key", "vk_nope"), ("token", "abcdefgh@0123456789abcdef")],
            [422, 422, 422, 422, 422, 422],
        ),
        // The help centre: everyone reads and searches it; staff edit it.
        (
            "help_centre",
            vec![("query", "éligibilité"), ("locale", "fr")],
            [200, 200, 200, 200, 200, 200],
        ),
        ("help_entries", vec![], [401, 403, 403, 403, 200, 200]),
        // The contact form: anyone sends (an empty form is refused with its reasons); the
        // inbox is staff's alone. The legal pages: everyone reads, admins edit.
        (
            "send_contact_message",
            vec![("form[topic]", "")],
            [422, 422, 422, 422, 422, 422],
        ),
        ("list_conversations", vec![], [401, 403, 403, 403, 200, 200]),
        (
            "load_conversation",
            vec![("conversation_id", "nobody")],
            [401, 403, 403, 403, 404, 404],
        ),
        (
            "assign_conversation",
            vec![("conversation_id", "nobody"), ("assignee", "")],
            [401, 403, 403, 403, 404, 404],
        ),
        (
            "answer_conversation",
            vec![("conversation_id", "nobody"), ("text", "Bonjour")],
            [401, 403, 403, 403, 404, 404],
        ),
        (
            "set_conversation_status",
            vec![("conversation_id", "nobody"), ("status", "closed")],
            [401, 403, 403, 403, 404, 404],
        ),
        (
            "legal_text",
            vec![("page", "terms"), ("locale", "fr")],
            [200, 200, 200, 200, 200, 200],
        ),
        ("legal_texts", vec![], [401, 403, 403, 403, 403, 200]),
        (
            "save_legal_text",
            vec![("page", "terms"), ("language", "fr"), ("body", "")],
            [401, 403, 403, 403, 403, 422],
        ),
        // The audit trail: staff only; a filter that is not one is refused with its reason.
        (
            "audit_trail",
            vec![("filter[page]", "1")],
            [401, 403, 403, 403, 200, 200],
        ),
        // Certificates and waivers: staff only.
        (
            "partner_documents",
            vec![("organisation_id", &amis)],
            [401, 403, 403, 403, 200, 200],
        ),
        (
            "record_partner_documents",
            vec![
                ("organisation_id", &amis),
                ("certificate_issued", "bientôt"),
                ("autodesk_direct_purchase", ""),
                ("autodesk_waiver_on", ""),
            ],
            [401, 403, 403, 403, 422, 422],
        ),
        (
            "audit_trail",
            vec![("filter[from]", "demain")],
            [401, 403, 403, 403, 422, 422],
        ),
        (
            "save_help_question",
            vec![
                ("question_id", "what-is-the-programme"),
                ("texts[question_fr]", ""),
                ("texts[question_nl]", ""),
                ("texts[question_en]", ""),
                ("texts[answer_fr]", ""),
                ("texts[answer_nl]", ""),
                ("texts[answer_en]", ""),
            ],
            [401, 403, 403, 403, 422, 422],
        ),
        // The staff dashboard: admins and agents.
        ("staff_dashboard", vec![], [401, 403, 403, 403, 200, 200]),
        // "En retard" and the digest settings (issue 24): staff only, each their own choice.
        ("staff_late_items", vec![], [401, 403, 403, 403, 200, 200]),
        ("digest_settings", vec![], [401, 403, 403, 403, 200, 200]),
        (
            "save_digest_settings",
            vec![("enabled", "true"), ("sections[0]", "review_overdue")],
            [401, 403, 403, 403, 200, 200],
        ),
        // The language switch: remembered for whoever is logged in, harmless for the others.
        (
            "remember_language",
            vec![("language", "nl")],
            [200, 200, 200, 200, 200, 200],
        ),
        (
            "remember_language",
            vec![("language", "de")],
            [422, 422, 422, 422, 422, 422],
        ),
        // Catalogue and rules management: admins only, so the agent is refused too.
        ("managed_catalogue", vec![], [401, 403, 403, 403, 403, 200]),
        (
            "save_product",
            vec![("original_slug", ""), ("form[name]", "")],
            [401, 403, 403, 403, 403, 422],
        ),
        (
            "save_partner",
            vec![("partner_id", "adobe"), ("name", "Adobe"), ("sort_order", "2")],
            [401, 403, 403, 403, 403, 200],
        ),
        (
            "save_family",
            vec![("family_id", ""), ("partner_id", "microsoft"), ("name", "Dynamics")],
            [401, 403, 403, 403, 403, 200],
        ),
        ("rules_overview", vec![], [401, 403, 403, 403, 403, 200]),
        ("staff_members", vec![], [401, 403, 403, 403, 403, 200]),
        (
            "invite_staff",
            vec![("full_name", ""), ("email", ""), ("role", "agent")],
            [401, 403, 403, 403, 403, 422],
        ),
        (
            "set_staff_role",
            vec![("person_id", "nobody"), ("role", "agent")],
            [401, 403, 403, 403, 403, 404],
        ),
        (
            "set_staff_scope",
            vec![("person_id", "nobody"), ("partners[0]", "cisco")],
            [401, 403, 403, 403, 403, 404],
        ),
        (
            "preview_rule_version",
            vec![
                ("partner_id", "adobe"),
                ("country", "BE"),
                ("effective_from", "2027-01-01"),
                ("params_json", "{\"adobe_max_per_year\": 2}"),
            ],
            [401, 403, 403, 403, 403, 200],
        ),
        ("my_organisation", vec![], [401, 200, 200, 200, 403, 403]),
        // Erasure: a wrong password erases nobody; staff are erased by an admin only, and an
        // unknown person is not found.
        (
            "erase_my_account",
            vec![("password", "not the password"), ("confirm", "yes")],
            [401, 422, 422, 422, 403, 403],
        ),
        (
            "erase_person",
            vec![("person_id", "nobody")],
            [401, 403, 403, 403, 403, 404],
        ),
        ("find_people", vec![("query", "amis")], [401, 403, 403, 403, 403, 200]),
        ("review_queue", vec![], [401, 403, 403, 403, 200, 200]),
        // The organisation directory and the 360 page: staff only, whatever the organisation.
        (
            "search_organisations",
            vec![("query[q]", "amis")],
            [401, 403, 403, 403, 200, 200],
        ),
        (
            "organisation_overview",
            vec![("organisation_id", &amis)],
            [401, 403, 403, 403, 200, 200],
        ),
        ("list_partners", vec![], [401, 403, 403, 403, 200, 200]),
        (
            "partner_standing",
            vec![("partner_id", "microsoft")],
            [401, 403, 403, 403, 200, 200],
        ),
        ("list_inquiries", vec![], [401, 403, 403, 403, 200, 200]),
        (
            "list_inquiries",
            vec![("status", "answered"), ("search", "amis"), ("page", "2")],
            [401, 403, 403, 403, 200, 200],
        ),
        (
            "answer_inquiry",
            vec![("inquiry_id", "nobody"), ("template", "free"), ("text", "Bonjour")],
            [401, 403, 403, 403, 404, 404],
        ),
        ("pending_change_requests", vec![], [401, 403, 403, 403, 200, 200]),
        ("my_change_requests", vec![], [401, 200, 200, 200, 403, 403]),
        // A file without the expected columns: staff get the reason, everyone else a refusal.
        (
            "import_organisations",
            vec![("csv", "legal_name\nX")],
            [401, 403, 403, 403, 422, 422],
        ),
        // Runs of the migration import: staff only; an unknown run is not found.
        (
            "load_migration_run",
            vec![("run_id", "no-such-run"), ("page", "0"), ("problems", "false")],
            [401, 403, 403, 403, 404, 404],
        ),
        (
            "import_migration_run",
            vec![("run_id", "no-such-run")],
            [401, 403, 403, 403, 404, 404],
        ),
        (
            "organisation_for_review",
            vec![("organisation_id", &amis)],
            [401, 403, 403, 403, 200, 200],
        ),
        ("outbox", vec![("page", "1")], [401, 403, 403, 403, 200, 200]),
        (
            "request_information",
            vec![
                ("organisation_id", &biblio),
                ("question", "Pouvez-vous envoyer vos comptes ?"),
            ],
            [401, 403, 403, 403, 200, 200],
        ),
        (
            "set_vat_status",
            vec![("organisation_id", &biblio), ("vat_status", "none"), ("vat_number", "")],
            [401, 403, 403, 403, 200, 200],
        ),
        // Now that Biblio has an open question, only its own members may answer it.
        (
            "answer_information",
            vec![("answer", "Les voici.")],
            [401, 409, 409, 200, 403, 403],
        ),
        (
            "decide_eligibility",
            vec![("organisation_id", &biblio), ("decision", "eligible"), ("reason", "")],
            [401, 403, 403, 403, 200, 200],
        ),
        (
            "set_qualifications",
            vec![
                ("organisation_id", &biblio),
                ("decisions[0][partner_id]", "microsoft"),
                ("decisions[0][decision]", "qualified"),
                ("decisions[0][reason]", ""),
            ],
            [401, 403, 403, 403, 200, 200],
        ),
        // Public: the visitor's pages and forms. Empty fields are refused (422) without any
        // attempt being counted, so six callers never reach a rate limit.
        ("current_user", vec![], [200, 200, 200, 200, 200, 200]),
        ("home_counters", vec![], [200, 200, 200, 200, 200, 200]),
        (
            "list_catalogue",
            vec![("language", "fr")],
            [200, 200, 200, 200, 200, 200],
        ),
        (
            "catalogue_product",
            vec![("slug", "dell-latitude-5420"), ("language", "nl")],
            [200, 200, 200, 200, 200, 200],
        ),
        (
            "login",
            vec![("identifier", "nobody"), ("password", "")],
            [422, 422, 422, 422, 422, 422],
        ),
        (
            "request_password_reset",
            vec![("identifier", "")],
            [422, 422, 422, 422, 422, 422],
        ),
        (
            "reset_password",
            vec![("token", "not-a-link"), ("password", "short")],
            [422, 422, 422, 422, 422, 422],
        ),
        (
            "register",
            [
                "legal_name",
                "legal_form",
                "country",
                "enterprise_number",
                "street",
                "postal_code",
                "city",
                "contact_email",
                "mission_category",
                "holder_name",
                "holder_email",
                "password",
            ]
            .iter()
            .map(|field| (*field, ""))
            .map(|(field, value)| (&*Box::leak(format!("form[{field}]").into_boxed_str()), value))
            .collect(),
            [422, 422, 422, 422, 422, 422],
        ),
        (
            "confirm_registration",
            vec![("token", "")],
            [422, 422, 422, 422, 422, 422],
        ),
        (
            "ask_if_registered",
            vec![
                ("organisation_name", ""),
                ("enterprise_number", ""),
                ("address", ""),
                ("reply_email", ""),
            ],
            [422, 422, 422, 422, 422, 422],
        ),
        // The e-mail change link and "Rejoindre mon organisation": public; a junk link and an
        // empty form are refused (422), the form before any attempt is counted.
        (
            "confirm_email_change",
            vec![("token", "not-a-link")],
            [422, 422, 422, 422, 422, 422],
        ),
        (
            "request_join",
            vec![
                ("form[full_name]", ""),
                ("form[email]", ""),
                ("form[enterprise_number]", ""),
                ("form[message]", ""),
            ],
            [422, 422, 422, 422, 422, 422],
        ),
        // Everyone's own settings, staff too; refused inputs (422) change nothing.
        ("account_settings", vec![], [401, 200, 200, 200, 200, 200]),
        ("change_name", vec![("full_name", " ")], [401, 422, 422, 422, 422, 422]),
        (
            "change_password",
            vec![("current_password", "wrong"), ("new_password", "short")],
            [401, 422, 422, 422, 422, 422],
        ),
        (
            "request_email_change",
            vec![("new_email", "not an address"), ("current_password", "wrong")],
            [401, 422, 422, 422, 422, 422],
        ),
        // Join requests: the holder decides for their organisation; another organisation's
        // request is not found; staff list them all and may refuse.
        ("join_requests", vec![], [401, 200, 403, 200, 403, 403]),
        ("staff_join_requests", vec![], [401, 403, 403, 403, 200, 200]),
        (
            "approve_join_request",
            vec![("join_request_id", "nobody")],
            [401, 404, 403, 404, 403, 403],
        ),
        (
            "refuse_join_request",
            vec![("join_request_id", "nobody")],
            [401, 404, 403, 404, 404, 404],
        ),
        // Members and holders of an organisation.
        ("engine_inputs", vec![], [401, 200, 200, 200, 403, 403]),
        ("verify_qualification", dell.to_vec(), [401, 200, 200, 200, 403, 403]),
        ("appeal_decision", vec![("appeal", "")], [401, 422, 403, 422, 403, 403]),
        (
            "invite_member",
            vec![("full_name", ""), ("email", "")],
            [401, 422, 403, 422, 403, 403],
        ),
        (
            "remove_member",
            vec![("person_id", "nobody")],
            [401, 404, 403, 404, 403, 403],
        ),
        (
            "cancel_invitation",
            vec![("invitation_id", "nobody")],
            [401, 404, 403, 404, 403, 403],
        ),
        (
            "request_change",
            vec![
                ("form[legal_name]", ""),
                ("form[enterprise_number]", ""),
                ("form[street]", ""),
                ("form[postal_code]", ""),
                ("form[city]", ""),
                ("form[contact_email]", ""),
                ("form[note]", ""),
            ],
            [401, 422, 403, 422, 403, 403],
        ),
        // Staff.
        (
            "transfer_holder",
            vec![("organisation_id", &amis), ("person_id", "nobody")],
            [401, 403, 403, 403, 422, 422],
        ),
        (
            "decide_change_request",
            vec![("change_request_id", "nobody"), ("decision", "accept"), ("reason", "")],
            [401, 403, 403, 403, 422, 422],
        ),
        (
            "requalify_partner",
            vec![
                ("partner_id", "microsoft"),
                ("organisation_ids[0]", "nobody"),
                ("decision", "qualified"),
                ("reason", ""),
            ],
            [401, 403, 403, 403, 404, 404],
        ),
        (
            "add_rule_version",
            vec![
                ("partner_id", "microsoft"),
                ("country", "XX"),
                ("effective_from", "2026-12-01"),
                ("params_json", "{}"),
            ],
            [401, 403, 403, 403, 403, 422],
        ),
        // The second factor. No caller here has a login waiting for its code; staff are
        // enrolled already and cannot turn it off; a malformed code is refused unread.
        ("mfa_pending", vec![], [200, 200, 200, 200, 200, 200]),
        ("verify_mfa", vec![("code", "000000")], [401, 401, 401, 401, 401, 401]),
        ("begin_mfa_enrolment", vec![], [401, 200, 200, 200, 409, 409]),
        (
            "confirm_mfa_enrolment",
            vec![("code", "abc")],
            [401, 422, 422, 422, 422, 422],
        ),
        ("mfa_settings", vec![], [401, 200, 200, 200, 200, 200]),
        ("disable_mfa", vec![("code", "abc")], [401, 422, 422, 422, 403, 403]),
        (
            "reset_mfa",
            vec![("person_id", "nobody")],
            [401, 403, 403, 403, 403, 404],
        ),
        // Last, as it ends each caller's session.
        ("logout", vec![], [200, 200, 200, 200, 200, 200]),
    ];
    let callers = [&anonymous, &holder, &member, &other, &staff, &admin];
    let names = [
        "anonymous",
        "holder",
        "member",
        "other organisation",
        "staff agent",
        "staff admin",
    ];
    let mut wrong = Vec::new();
    for (endpoint, args, expected) in &table {
        for ((caller, name), want) in callers.iter().zip(names).zip(expected) {
            let (status, body) = app.call_as(caller, endpoint, args).await;
            if status != *want {
                let body: String = body.to_string().chars().take(200).collect();
                wrong.push(format!("{endpoint} as {name}: {status}, expected {want}: {body}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} checks:\n{}",
        wrong.len(),
        table.len() * callers.len(),
        wrong.join("\n")
    );
    // Every server function the app registers has its row: a new one without it fails here.
    let covered: std::collections::BTreeSet<&str> = table.iter().map(|(endpoint, _, _)| *endpoint).collect();
    let registered: std::collections::BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    let missing: Vec<&String> = registered.iter().filter(|p| !covered.contains(p.as_str())).collect();
    assert!(
        missing.is_empty(),
        "server functions without a row in the matrix: {missing:?}"
    );
    assert!(
        registered.len() >= 60,
        "{} registered server functions",
        registered.len()
    );
    // The figure SECURITY.md quotes.
    eprintln!(
        "matrix: {} rows for {} registered server functions, {} callers each",
        table.len(),
        registered.len(),
        callers.len()
    );

    // A member reads its own file, never another one's: the id comes from the session (a new
    // one: the last row logged everybody out).
    let member = app.login("amis-membre", DEMO_PASSWORD).await;
    let other = app.login("biblio", DEMO_PASSWORD).await;
    let (_, file) = app.call_as(&member, "my_organisation", &[]).await;
    assert_eq!(file["legal_name"], AMIS);
    let (_, file) = app.call_as(&other, "my_organisation", &[]).await;
    assert_eq!(file["legal_name"], BIBLIO);
}

#[tokio::test]
async fn login_does_not_tell_whether_an_account_exists() {
    let app = spawn_app().await.with_demo().await;
    let anonymous = Caller::default();
    let wrong_password = app
        .call_as(&anonymous, "login", &[("identifier", "amis"), ("password", "not it")])
        .await;
    let no_account = app
        .call_as(&anonymous, "login", &[("identifier", "nobody"), ("password", "not it")])
        .await;
    assert_eq!(wrong_password.0, 422);
    assert_eq!(wrong_password, no_account);
    // E-mail works as well as the username, in any case.
    app.login("SOPHIE@amisduquartier.example.org", DEMO_PASSWORD).await;
}

#[tokio::test]
async fn login_is_rate_limited_per_identifier() {
    let app = spawn_app().await.with_demo().await;
    let anonymous = Caller::default();
    for _ in 0..5 {
        let (status, _) = app
            .call_as(&anonymous, "login", &[("identifier", "biblio"), ("password", "wrong")])
            .await;
        assert_eq!(status, 422);
    }
    // Even the right password is refused now, and the answer says to wait.
    let (status, body) = app
        .call_as(
            &anonymous,
            "login",
            &[("identifier", "biblio"), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(status, 429, "{body}");
    // And says for how long: until the oldest failure leaves the 15-minute window.
    let response = app
        .client
        .post(app.url("/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(format!("identifier=biblio&password={DEMO_PASSWORD}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 429);
    let wait: i64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((840..=900).contains(&wait), "Retry-After {wait}");
    // Another account is not affected.
    app.login("amis", DEMO_PASSWORD).await;
}

/// The login page's form as a browser posts it: no JavaScript on that page, so it accepts
/// HTML and comes from `/login`.
async fn post_login_form(app: &TestApp, identifier: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header(
            "accept",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        )
        .header("referer", app.url("/login"))
        .body(format!(
            "identifier={}&password={}",
            urlencode(identifier),
            urlencode(password)
        ))
        .send()
        .await
        .expect("login form")
}

/// Every `set-cookie` of a response whose name is `name`, whole (attributes included).
fn cookies_named(response: &reqwest::Response, name: &str) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_login_form_is_answered_with_redirects_and_a_refused_one_keeps_the_identifier() {
    let app = spawn_app().await.with_demo().await;
    // Refused: back to the login page with the error; the identifier rides in a cookie of
    // that page, never in the address.
    let refused = post_login_form(&app, "amis", "pas le bon mot de passe").await;
    assert_eq!(refused.status().as_u16(), 302);
    let back = refused.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.starts_with("/login?") && back.contains("__err="), "{back}");
    assert!(!back.contains("amis"), "{back}");
    let kept = cookies_named(&refused, "login_identifier");
    assert_eq!(kept.len(), 1, "{kept:?}");
    for attribute in ["HttpOnly", "Path=/login", "Max-Age=60", "SameSite=Lax"] {
        assert!(kept[0].contains(attribute), "{attribute} in {}", kept[0]);
    }
    assert!(live_session_cookie(&refused).is_none());
    // The browser brings the cookie back to the login page.
    let browser = Caller {
        cookie: Some(kept[0].split(';').next().unwrap().to_owned()),
    };
    let page = app.get_as(&browser, &back).await;
    assert_eq!(page.status().as_u16(), 200);
    // The page shows what was typed: never stored in the browser's cache.
    assert_eq!(page.headers()["cache-control"], "private, no-store");
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Identifiant ou mot de passe incorrect."),
        "the error is shown"
    );
    assert!(html.contains(r#"value="amis""#), "the identifier is filled in again");

    // An identifier that is markup comes back as text.
    let hostile = r#""><script>alert(1)</script> é;,"#;
    let refused = post_login_form(&app, hostile, "x").await;
    let browser = Caller {
        cookie: Some(
            cookies_named(&refused, "login_identifier")[0]
                .split(';')
                .next()
                .unwrap()
                .to_owned(),
        ),
    };
    let back = refused.headers()["location"].to_str().unwrap().to_owned();
    let html = app.get_as(&browser, &back).await.text().await.unwrap();
    assert!(!html.contains("<script>alert(1)"), "markup is escaped");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt; é;,"),
        "and shown whole"
    );

    // A member: to "Mon compte", logged in, the kept identifier forgotten.
    let member = post_login_form(&app, "amis", DEMO_PASSWORD).await;
    assert_eq!(member.status().as_u16(), 302);
    assert_eq!(member.headers()["location"], "/account");
    let forgotten = cookies_named(&member, "login_identifier");
    assert!(forgotten.iter().all(|c| c.contains("Max-Age=0")), "{forgotten:?}");
    let session = Caller {
        cookie: live_session_cookie(&member),
    };
    let (_, user) = app.call_as(&session, "current_user", &[]).await;
    assert_eq!(user["username"], "amis", "{user}");

    // Staff: their second step.
    let staff = post_login_form(&app, "agent", DEMO_PASSWORD).await;
    assert_eq!(staff.status().as_u16(), 302);
    assert_eq!(staff.headers()["location"], "/login/mfa");
    assert!(set_cookie_named(&staff, MFA_COOKIE_PREFIX).is_some());
    assert!(live_session_cookie(&staff).is_none());

    // Past the limit, the page says to wait (not the earlier attempt's error).
    for _ in 0..5 {
        post_login_form(&app, "biblio", "wrong").await;
    }
    let locked = post_login_form(&app, "biblio", DEMO_PASSWORD).await;
    let back = locked.headers()["location"].to_str().unwrap().to_owned();
    let html = app.get(&back).await.text().await.unwrap();
    assert!(html.contains("Trop de tentatives en peu de temps."), "{back}");
    assert!(!html.contains("Identifiant ou mot de passe incorrect."));

    // Callers that ask for JSON get the outcome, not a redirect.
    let (status, body, _) = app.login_step("amis", DEMO_PASSWORD).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn password_reset_answers_alike_and_works_once() {
    let app = spawn_app().await.with_demo().await;
    let anonymous = Caller::default();
    let known = app
        .call_as(&anonymous, "request_password_reset", &[("identifier", "amis")])
        .await;
    let unknown = app
        .call_as(
            &anonymous,
            "request_password_reset",
            &[("identifier", "personne@nulle.part")],
        )
        .await;
    assert_eq!(known.0, 200);
    assert_eq!(known, unknown, "the answer must not reveal whether the account exists");

    let mail = app.mail_to("sophie@amisduquartier.example.org").await;
    assert_eq!(mail.len(), 1, "one reset e-mail to the account's own address");
    let body = &mail[0].1;
    let token = body
        .split("token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a reset link in the e-mail")
        .to_owned();

    let (status, body) = app
        .call_as(
            &anonymous,
            "reset_password",
            &[("token", &token), ("password", "court")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["Validation"]["fields"]["password"][0], "password_too_short");

    let new_password = "une toute nouvelle phrase";
    let (status, body) = app
        .call_as(
            &anonymous,
            "reset_password",
            &[("token", &token), ("password", new_password)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    app.login("amis", new_password).await;
    let (status, _) = app
        .call_as(
            &anonymous,
            "login",
            &[("identifier", "amis"), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(status, 422, "the old password no longer works");

    // The link works once.
    let (status, body) = app
        .call_as(
            &anonymous,
            "reset_password",
            &[("token", &token), ("password", "encore une autre phrase")],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["form"][0], "reset_link_invalid");
}

#[tokio::test]
async fn registration_validates_and_keeps_one_account_per_number() {
    let app = spawn_app().await.with_demo().await;
    let anonymous = Caller::default();

    let bad = registration("0412.345.615", "anne@amisduparc.example.org");
    let (status, body) = app.call_as(&anonymous, "register", &as_refs(&bad)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["Validation"]["fields"]["enterprise_number"][0],
        "enterprise_number_checksum"
    );

    // The demo's Amis du Quartier already has 0412.345.614, written differently here: the
    // answer is the one every valid form gets; only the holder's mailbox learns more.
    let taken = registration("BE 0412 345 614", "anne@amisduparc.example.org");
    let (status, body) = app.call_as(&anonymous, "register", &as_refs(&taken)).await;
    assert_eq!((status, &body), (200, &serde_json::Value::Null));
    let notice = app.mail_to("anne@amisduparc.example.org").await;
    assert_eq!(notice.len(), 1);
    assert!(notice[0].1.contains("0412.345.614"), "{}", notice[0].1);
    assert!(
        !notice[0].1.contains("Amis du Quartier") && !notice[0].1.contains("sophie"),
        "nothing about the other account"
    );

    let good = registration("0202.239.951", "anne@amisduparc.example.org");
    let (status, _) = app.call_as(&anonymous, "register", &as_refs(&good)).await;
    assert_eq!(status, 200);
    assert_eq!(
        app.audit_count("organisation.registered").await,
        0,
        "nothing before the link"
    );
    let token = app
        .registration_token("anne@amisduparc.example.org")
        .await
        .expect("a registration link");
    let response = app
        .client
        .post(app.url("/api/confirm_registration"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(format!("token={}", urlencode(&token)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let cookie = common::session_cookie(&response).expect("the link logs the holder in");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let holder = Caller {
        cookie: Some(cookie.split(';').next().unwrap().to_owned()),
    };
    let (status, file) = app.call_as(&holder, "my_organisation", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(file["enterprise_number"], "0202.239.951");
    assert_eq!(file["eligibility_status"], "pending");
    assert_eq!(
        file["submitted_at"],
        serde_json::Value::Null,
        "the clock waits for the statutes"
    );

    let mail = app.mail_to("info@amisduparc.example.org").await;
    assert_eq!(mail.len(), 1);
    assert!(mail[0].0.contains("Inscription reçue"), "{}", mail[0].0);
    assert_eq!(app.audit_count("organisation.registered").await, 1);
}

#[tokio::test]
async fn staff_review_reaches_the_organisation() {
    let app = spawn_app().await.with_demo().await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let holder = app.login("debrug", DEMO_PASSWORD).await;
    let debrug = app.organisation_id("Jeugdhuis De Brug vzw").await;

    // The demo's De Brug was complete five days ago: overdue, first in the queue.
    let (_, queue) = app.call_as(&staff, "review_queue", &[]).await;
    assert_eq!(queue["items"][0]["organisation_id"], debrug.as_str());
    assert_eq!(queue["items"][0]["overdue"], true);
    assert_eq!(
        (queue["page"].as_u64(), queue["per_page"].as_u64()),
        (Some(1), Some(50))
    );
    assert_eq!(
        queue["total"].as_u64(),
        Some(queue["items"].as_array().unwrap().len() as u64)
    );

    let (status, body) = app
        .call_as(
            &staff,
            "decide_eligibility",
            &[("organisation_id", &debrug), ("decision", "rejected"), ("reason", "")],
        )
        .await;
    assert_eq!(status, 422, "a refusal needs a reason: {body}");
    let (status, _) = app
        .call_as(
            &staff,
            "decide_eligibility",
            &[("organisation_id", &debrug), ("decision", "eligible"), ("reason", "")],
        )
        .await;
    assert_eq!(status, 200);

    let refuse_without_reason = [
        ("organisation_id", debrug.as_str()),
        ("decisions[0][partner_id]", "microsoft"),
        ("decisions[0][decision]", "qualified"),
        ("decisions[0][reason]", ""),
        ("decisions[1][partner_id]", "cisco"),
        ("decisions[1][decision]", "not_qualified"),
        ("decisions[1][reason]", " "),
    ];
    let (status, body) = app.call_as(&staff, "set_qualifications", &refuse_without_reason).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["Validation"]["fields"]["reason_cisco"][0], "required");
    let (_, file) = app.call_as(&holder, "my_organisation", &[]).await;
    assert!(
        file["qualifications"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["qualified"].is_null()),
        "nothing was written by the refused call"
    );

    let mut decisions = refuse_without_reason.to_vec();
    decisions[6].1 = "Cisco ne soutient que les organisations actives dans l'inclusion numérique.";
    let (status, changed) = app.call_as(&staff, "set_qualifications", &decisions).await;
    assert_eq!((status, changed), (200, serde_json::json!(2)));

    let (_, file) = app.call_as(&holder, "my_organisation", &[]).await;
    assert_eq!(file["eligibility_status"], "eligible");
    let partner = |id: &str| {
        file["qualifications"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["partner_id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(partner("microsoft")["qualified"], true);
    assert_eq!(partner("cisco")["qualified"], false);
    assert_eq!(partner("cisco")["reason"], decisions[6].1);
    assert!(partner("adobe")["qualified"].is_null());

    let mail = app.mail_to("info@debrug.example.org").await;
    assert_eq!(mail.len(), 2, "eligibility, then qualification: {mail:?}");
    assert!(mail[1].1.contains("Cisco") && mail[1].1.contains("inclusion numérique"));
    assert_eq!(app.audit_count("organisation.eligibility_decided").await, 1);
    assert_eq!(app.audit_count("organisation.qualification_changed").await, 2);

    // Saving the same matrix again changes nothing and sends nothing.
    let (_, changed) = app.call_as(&staff, "set_qualifications", &decisions).await;
    assert_eq!(changed, serde_json::json!(0));
    assert_eq!(app.mail_to("info@debrug.example.org").await.len(), 2);
}

/// A multipart body with a `kind` field and one file.
pub fn multipart(kind: &str, file_name: &str, content: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----portal-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n").as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Uploads `content` as the organisation's statutes, as the account page's form posts it,
/// with the session `cookie` ("" for nobody).
pub async fn upload_statutes(app: &TestApp, cookie: &str, name: &str, content: &[u8]) -> reqwest::Response {
    let (content_type, body) = multipart("statutes", name, content);
    app.client
        .post(app.url("/documents"))
        .header("content-type", content_type)
        .header("cookie", cookie)
        .body(body)
        .send()
        .await
        .expect("an upload")
}

/// Where an answer sends the browser (its `Location`), or "" when it sends it nowhere.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn statutes_are_checked_and_served_only_to_their_organisation_and_staff() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let cookie = holder.cookie.clone().unwrap();
    let upload = |content: &'static [u8], name: &'static str| upload_statutes(&app, &cookie, name, content);

    let refused = upload(b"MZ\x90\x00 not a document", "statuts.exe").await;
    assert_eq!(location(&refused), "/account?upload=file_type");
    let accepted = upload(b"%PDF-1.7\n% statuts\n%%EOF\n", "statuts 2024.pdf").await;
    assert_eq!(location(&accepted), "/account?upload=ok");

    let (_, file) = app.call_as(&holder, "my_organisation", &[]).await;
    let documents = file["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 1, "only the PDF was kept");
    let path = format!("/documents/{}", documents[0]["document_id"].as_str().unwrap());

    let member = app.login("amis-membre", DEMO_PASSWORD).await;
    let other = app.login("biblio", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    for (caller, name, want) in [
        (&Caller::default(), "anonymous", 401),
        (&holder, "holder", 200),
        (&member, "member", 200),
        (&other, "other organisation", 404),
        (&staff, "staff", 200),
    ] {
        let response = app.get_as(caller, &path).await;
        assert_eq!(response.status().as_u16(), want, "{name}");
        if want == 200 {
            assert_eq!(response.headers()["content-type"], "application/pdf");
            assert_eq!(response.headers()["x-content-type-options"], "nosniff");
            assert!(response.bytes().await.unwrap().starts_with(b"%PDF-"));
        }
    }
    let anonymous_upload = upload_statutes(&app, "", "s.pdf", b"%PDF-1.7").await;
    assert_eq!(location(&anonymous_upload), "/login");
}

#[tokio::test]
async fn members_are_invited_by_the_holder_and_the_holder_role_moves_only_through_staff() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let member = app.login("amis-membre", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let amis = app.organisation_id(AMIS).await;
    let invite = [
        ("full_name", "Nadia Benali"),
        ("email", "nadia@amisduquartier.example.org"),
    ];

    for (caller, name, want) in [
        (&Caller::default(), "anonymous", 401),
        (&member, "member", 403),
        (&staff, "staff", 403),
        (&holder, "holder", 200),
    ] {
        let (status, body) = app.call_as(caller, "invite_member", &invite).await;
        assert_eq!(status, want, "invite_member as {name}: {body}");
    }
    let mail = app.mail_to("nadia@amisduquartier.example.org").await;
    assert_eq!(mail.len(), 1);
    let token = mail[0]
        .1
        .split("token=")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_owned();
    let (status, _) = app
        .call_as(
            &Caller::default(),
            "reset_password",
            &[("token", &token), ("password", "ma phrase de nadia")],
        )
        .await;
    assert_eq!(status, 200);
    let nadia = app
        .login("nadia@amisduquartier.example.org", "ma phrase de nadia")
        .await;
    let (_, file) = app.call_as(&nadia, "my_organisation", &[]).await;
    assert_eq!(file["legal_name"], AMIS);
    assert_eq!(file["members"].as_array().unwrap().len(), 3);

    // Inviting an address that already has an account answers alike; neither moves anybody
    // into the member list before an answer.
    let taken = [("full_name", "Quelqu'un"), ("email", "info-biblio@example.org")];
    let existing = [
        ("full_name", "Quelqu'un"),
        ("email", "sophie@amisduquartier.example.org"),
    ];
    let fresh_answer = app.call_as(&holder, "invite_member", &taken).await;
    let taken_answer = app.call_as(&holder, "invite_member", &existing).await;
    assert_eq!(fresh_answer, taken_answer);
    let (_, file) = app.call_as(&holder, "my_organisation", &[]).await;
    assert_eq!(
        file["members"].as_array().unwrap().len(),
        3,
        "nobody joins before accepting (issue 21, item 7)"
    );
    assert_eq!(
        file["invitations"].as_array().unwrap().len(),
        2,
        "both invitations pending alike"
    );

    // Removing: the holder only, never the holder themselves.
    let nadia_id = file["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["full_name"] == "Nadia Benali")
        .map(|m| m["person_id"].as_str().unwrap().to_owned())
        .unwrap();
    let (status, _) = app.call_as(&member, "remove_member", &[("person_id", &nadia_id)]).await;
    assert_eq!(status, 403);
    let holder_id = file["members"][0]["person_id"].as_str().unwrap().to_owned();
    let (status, _) = app
        .call_as(&holder, "remove_member", &[("person_id", &holder_id)])
        .await;
    assert_eq!(status, 404, "the holder cannot be removed");
    let (status, _) = app.call_as(&holder, "remove_member", &[("person_id", &nadia_id)]).await;
    assert_eq!(status, 200);
    let (status, _) = app.call_as(&nadia, "my_organisation", &[]).await;
    assert_eq!(status, 401, "a removed member's sessions end");

    // Only staff move the holder role.
    let member_id = file["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["full_name"] == "Karim Benali")
        .map(|m| m["person_id"].as_str().unwrap().to_owned())
        .unwrap();
    let transfer = [("organisation_id", amis.as_str()), ("person_id", member_id.as_str())];
    let (status, _) = app.call_as(&holder, "transfer_holder", &transfer).await;
    assert_eq!(status, 403);
    let (status, body) = app.call_as(&staff, "transfer_holder", &transfer).await;
    assert_eq!(status, 200, "{body}");
    // Both people's rights changed: their sessions ended, and they log in again.
    assert_eq!(app.call_as(&member, "invite_member", &invite).await.0, 401);
    assert_eq!(app.call_as(&holder, "invite_member", &invite).await.0, 401);
    let member = app.login("amis-membre", DEMO_PASSWORD).await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    assert_eq!(
        app.call_as(&member, "invite_member", &invite).await.0,
        200,
        "the new holder may invite"
    );
    assert_eq!(
        app.call_as(&holder, "invite_member", &invite).await.0,
        403,
        "the old holder no longer may"
    );
    assert_eq!(app.audit_count("organisation.holder_transferred").await, 1);
}

#[tokio::test]
async fn a_csv_with_one_bad_row_creates_the_good_rows_and_says_why_it_rejected_the_bad_one() {
    let app = spawn_app().await.with_demo().await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let csv = "legal_name;legal_form;country;enterprise_number;street;postal_code;city;contact_email;mission_category;holder_name;holder_email\n\
               Antenne Nord;asbl;BE;0202.239.951;Rue Nord 1;1000;Bruxelles;nord@reseau.example.org;youth;Ann Nord;ann@reseau.example.org\n\
               Antenne Sud;asbl;BE;0202.239.952;Rue Sud 1;6000;Charleroi;sud@reseau.example.org;youth;Bob Sud;bob@reseau.example.org\n\
               Antenne Est;asbl;BE;0403.170.701;Rue Est 1;4000;Liège;est@reseau.example.org;youth;Cem Est;cem@reseau.example.org\n";

    let (status, _) = app.call_as(&holder, "import_organisations", &[("csv", csv)]).await;
    assert_eq!(status, 403, "staff only");
    let (status, report) = app.call_as(&staff, "import_organisations", &[("csv", csv)]).await;
    assert_eq!(status, 200, "{report}");
    let created: Vec<_> = report["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["legal_name"].clone())
        .collect();
    assert_eq!(created, vec!["Antenne Nord", "Antenne Est"]);
    let rejected = report["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["line"], 3);
    assert_eq!(
        rejected[0]["errors"]["enterprise_number"][0],
        "enterprise_number_checksum"
    );

    // Nothing of the bad row exists; the good ones are whole: organisation, holder, mails.
    let organisations: i64 = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select count(*) from organisation where legal_name like 'Antenne %'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(organisations, 2);
    let people: i64 = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select count(*) from person where email like '%@reseau.example.org'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(people, 2);
    assert_eq!(
        app.mail_to("ann@reseau.example.org").await.len(),
        1,
        "an invitation to choose a password"
    );
    assert!(app.mail_to("bob@reseau.example.org").await.is_empty());
    assert_eq!(app.audit_count("organisation.imported").await, 2);

    // The same file again: every row is now taken, nothing new is created.
    let (_, again) = app.call_as(&staff, "import_organisations", &[("csv", csv)]).await;
    assert_eq!(again["created"].as_array().unwrap().len(), 0);
    assert_eq!(
        again["rejected"][0]["errors"]["enterprise_number"][0],
        "enterprise_number_taken"
    );

    let (status, body) = app
        .call_as(&staff, "import_organisations", &[("csv", "legal_name\nX")])
        .await;
    assert_eq!(status, 422);
    assert!(
        body["Validation"]["fields"]["csv"][0]
            .as_str()
            .unwrap()
            .starts_with("csv_missing_columns:")
    );
}

#[tokio::test]
async fn the_registered_question_answers_alike_and_only_staff_see_the_match() {
    let app = spawn_app().await.with_demo().await;
    let ask = |number: &'static str| {
        [
            ("organisation_name", "Les Amis du Quartier"),
            ("enterprise_number", number),
            ("address", "Rue Haute 112, 1000 Bruxelles"),
            ("reply_email", "curieux@example.org"),
        ]
    };
    let registered = app
        .call_as(&Caller::default(), "ask_if_registered", &ask("0412.345.614"))
        .await;
    let unknown = app
        .call_as(&Caller::default(), "ask_if_registered", &ask("0202.239.951"))
        .await;
    assert_eq!(registered.0, 200);
    assert_eq!(registered, unknown, "the public answer reveals nothing");
    let (status, body) = app
        .call_as(
            &Caller::default(),
            "ask_if_registered",
            &[
                ("organisation_name", ""),
                ("enterprise_number", "1"),
                ("address", "a"),
                ("reply_email", "x"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["reply_email"][0], "email_invalid");
    assert_eq!(body["Validation"]["fields"]["organisation_name"][0], "required");
    // Missing arguments altogether: the caller's mistake, a 400 and never a 500.
    let (status, _) = app
        .call_as(&Caller::default(), "ask_if_registered", &[("reply_email", "x")])
        .await;
    assert_eq!(status, 400);

    let member = app.login("amis", DEMO_PASSWORD).await;
    assert_eq!(app.call_as(&member, "list_inquiries", &[]).await.0, 403);
    assert_eq!(app.call_as(&Caller::default(), "list_inquiries", &[]).await.0, 401);
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let (_, list) = app.call_as(&staff, "list_inquiries", &[]).await;
    let list = list["items"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    let matched: Vec<_> = list.iter().map(|q| q["registered_match"].clone()).collect();
    assert!(matched.contains(&serde_json::json!(AMIS)) && matched.contains(&serde_json::Value::Null));
}

#[tokio::test]
async fn an_appeal_puts_the_file_back_in_the_queue_until_staff_decide() {
    let app = spawn_app().await.with_demo().await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let member = app.login("amis-membre", DEMO_PASSWORD).await;
    let amis = app.organisation_id(AMIS).await;
    let note = [("appeal", "Nous formons des jeunes au dessin assisté par ordinateur.")];

    // The demo's Amis du Quartier is refused by Autodesk.
    assert_eq!(
        app.call_as(&member, "appeal_decision", &note).await.0,
        403,
        "the account holder appeals"
    );
    assert_eq!(app.call_as(&holder, "appeal_decision", &note).await.0, 200);
    let (_, queue) = app.call_as(&staff, "review_queue", &[]).await;
    let item = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["organisation_id"] == amis.as_str())
        .cloned();
    assert_eq!(item.expect("in the queue")["appeal"], true);

    // Staff re-qualify Autodesk: the appeal is answered and leaves the queue.
    let decisions = [
        ("partner_id", "autodesk"),
        ("organisation_ids[0]", amis.as_str()),
        ("decision", "qualified"),
        ("reason", ""),
    ];
    assert_eq!(app.call_as(&holder, "requalify_partner", &decisions).await.0, 403);
    let (status, changed) = app.call_as(&staff, "requalify_partner", &decisions).await;
    assert_eq!((status, changed), (200, serde_json::json!(1)));
    let (_, queue) = app.call_as(&staff, "review_queue", &[]).await;
    assert!(
        queue["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["organisation_id"] != amis.as_str())
    );
    let (_, file) = app.call_as(&holder, "my_organisation", &[]).await;
    let autodesk = file["qualifications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["partner_id"] == "autodesk")
        .cloned();
    assert_eq!(autodesk.unwrap()["qualified"], true);

    // Nothing is refused any more: there is nothing to appeal.
    assert_eq!(app.call_as(&holder, "appeal_decision", &note).await.0, 409);
    // A refusal without a reason is refused for the whole batch.
    let refuse = [
        ("partner_id", "autodesk"),
        ("organisation_ids[0]", amis.as_str()),
        ("decision", "not_qualified"),
        ("reason", ""),
    ];
    let (status, body) = app.call_as(&staff, "requalify_partner", &refuse).await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["reason"][0], "required");
}

#[tokio::test]
async fn locked_data_changes_only_through_a_request_staff_accept() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let member = app.login("amis-membre", DEMO_PASSWORD).await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    let other = app.login("biblio", DEMO_PASSWORD).await;
    let new_address = [
        ("form[street]", "Rue Neuve 5"),
        ("form[postal_code]", "1000"),
        ("form[city]", "Bruxelles"),
        ("form[note]", "Déménagement au 1er janvier"),
    ];
    for (caller, name, want) in [
        (&Caller::default(), "anonymous", 401),
        (&member, "member", 403),
        (&staff, "staff", 403),
        (&holder, "holder", 200),
    ] {
        let (status, body) = app.call_as(caller, "request_change", &new_address).await;
        assert_eq!(status, want, "request_change as {name}: {body}");
    }
    let (status, body) = app.call_as(&holder, "request_change", &new_address).await;
    assert_eq!(status, 409, "one open request at a time: {body}");

    // Staff only see and decide; the organisation sees its own requests only.
    assert_eq!(app.call_as(&holder, "pending_change_requests", &[]).await.0, 403);
    let (_, pending) = app.call_as(&staff, "pending_change_requests", &[]).await;
    let id = pending[0]["change_request_id"].as_str().unwrap().to_owned();
    let (_, theirs) = app.call_as(&other, "my_change_requests", &[]).await;
    assert_eq!(theirs, serde_json::json!([]));
    assert_eq!(
        app.call_as(
            &holder,
            "decide_change_request",
            &[("change_request_id", &id), ("decision", "accepted"), ("reason", "")]
        )
        .await
        .0,
        403
    );
    let (status, body) = app
        .call_as(
            &staff,
            "decide_change_request",
            &[("change_request_id", &id), ("decision", "refused"), ("reason", "")],
        )
        .await;
    assert_eq!(status, 422, "a refusal needs a reason: {body}");
    let (status, _) = app
        .call_as(
            &staff,
            "decide_change_request",
            &[("change_request_id", &id), ("decision", "accepted"), ("reason", "")],
        )
        .await;
    assert_eq!(status, 200);
    let (_, file) = app.call_as(&holder, "my_organisation", &[]).await;
    assert_eq!(file["street"], "Rue Neuve 5");
    assert_eq!(file["city"], "Bruxelles");
    assert_eq!(app.audit_count("organisation.change_accepted").await, 1);
    let mail = app.mail_to("contact@amisduquartier.example.org").await;
    assert!(
        mail.iter()
            .any(|(subject, _)| subject.contains("Demande de modification acceptée")),
        "{mail:?}"
    );

    // A number another organisation holds is refused when staff apply it. A new number
    // needs its supporting document, so it is filed with the account page's form.
    let new_number = [
        ("form[enterprise_number]", "0876.543.270"),
        ("form[note]", "Fusion avec la bibliothèque"),
    ];
    let (status, body) = app.call_as(&holder, "request_change", &new_number).await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["document"][0], "document_required");
    let boundary = "----change-request-boundary";
    let mut form = String::new();
    for (name, value) in new_number {
        form.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    form.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fusion.pdf\"\r\n\r\n\
         %PDF-1.7\n% fusion\n%%EOF\n\r\n--{boundary}--\r\n"
    ));
    let filed = app
        .client
        .post(app.url("/change-requests"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("cookie", holder.cookie.clone().unwrap())
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&filed), "/account?change=ok#change-title");
    let (_, pending) = app.call_as(&staff, "pending_change_requests", &[]).await;
    let id = pending[0]["change_request_id"].as_str().unwrap().to_owned();
    let (status, body) = app
        .call_as(
            &staff,
            "decide_change_request",
            &[("change_request_id", &id), ("decision", "accepted"), ("reason", "")],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["Validation"]["fields"]["form"][0], "enterprise_number_taken");
    let (_, file) = app.call_as(&holder, "my_organisation", &[]).await;
    assert_eq!(file["enterprise_number"], "0412.345.614", "nothing changed");
}

/// The functions only the admin staff role may call (partner rules now; the catalogue and
/// staff management when they come): each gets its row, with arguments an admin would see
/// refused for their content, never for the role.
const ADMIN_ONLY: &[(&str, &[(&str, &str)])] = &[
    (
        "add_rule_version",
        &[
            ("partner_id", "microsoft"),
            ("country", "XX"),
            ("effective_from", "2026-12-01"),
            ("params_json", "{}"),
        ],
    ),
    (
        "preview_rule_version",
        &[
            ("partner_id", "adobe"),
            ("country", "BE"),
            ("effective_from", "2027-01-01"),
            ("params_json", "{\"adobe_max_per_year\": 2}"),
        ],
    ),
    ("rules_overview", &[]),
    ("legal_texts", &[]),
    (
        "save_legal_text",
        &[("page", "terms"), ("language", "fr"), ("body", "")],
    ),
    ("staff_members", &[]),
    ("invite_staff", &[("full_name", ""), ("email", ""), ("role", "agent")]),
    ("set_staff_role", &[("person_id", "nobody"), ("role", "agent")]),
    ("managed_catalogue", &[]),
    // An empty product form: the admin gets its reasons (422), the agent a refusal.
    ("save_product", &[("original_slug", ""), ("form[name]", "")]),
    (
        "save_partner",
        &[("partner_id", "adobe"), ("name", "Adobe"), ("sort_order", "2")],
    ),
    (
        "save_family",
        &[("family_id", ""), ("partner_id", "microsoft"), ("name", "")],
    ),
];

#[tokio::test]
async fn agents_never_reach_an_admin_only_function() {
    let app = spawn_app().await.with_demo().await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    for (endpoint, args) in ADMIN_ONLY {
        let (status, body) = app.call_as(&agent, endpoint, args).await;
        assert_eq!(status, 403, "{endpoint} as an agent: {body}");
        let (status, body) = app.call_as(&admin, endpoint, args).await;
        assert!(![401, 403].contains(&status), "{endpoint} as an admin: {status} {body}");
    }
}

#[tokio::test]
async fn the_review_queue_comes_in_pages_of_fifty() {
    let app = spawn_app().await.with_demo().await;
    let staff = app.login("agent", DEMO_PASSWORD).await;
    for seq in 0..60 {
        common::OrgBuilder::new(seq).insert(app.db()).await;
    }
    app::on_pool!(app.db(), |pool| sqlx::query(
        "update organisation set eligibility_status = 'pending' where legal_name like 'Organisation %'"
    )
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))
    .unwrap();

    let ids = |page: &serde_json::Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["organisation_id"].as_str().unwrap().to_owned())
            .collect()
    };
    // Their clocks started over the last 30 days, a few of them waiting for their own answer
    // (never overdue) and a few appealed (the appeal restarts the clock), so that the page
    // order and the overdue count, both done in SQL, can be checked against the Rust rule.
    let ids_by_name: Vec<(String, String)> = app::on_pool!(app.db(), |pool| sqlx::query_as(
        "select organisation_id, legal_name from organisation where legal_name like 'Organisation %'"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    let now = app::db::now();
    for (id, name) in &ids_by_name {
        let seq: i64 = name.trim_start_matches("Organisation ").parse().unwrap();
        let started = now - chrono::Duration::days(seq % 30) - chrono::Duration::hours(seq % 5);
        let status = if seq % 7 == 3 { "info_requested" } else { "pending" };
        let appealed = (seq % 11 == 5).then_some(started);
        app::on_pool!(app.db(), |pool| sqlx::query(
            "update organisation set eligibility_status = $2, submitted_at = $3, appealed_at = $4 \
             where organisation_id = $1"
        )
        .bind(id)
        .bind(status)
        .bind(started - chrono::Duration::days(3))
        .bind(appealed)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .unwrap();
        if appealed.is_none() {
            app::on_pool!(app.db(), |pool| sqlx::query(
                "update organisation set submitted_at = $2 where organisation_id = $1"
            )
            .bind(id)
            .bind(started)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))
            .unwrap();
        }
    }

    let (status, first) = app.call_as(&staff, "review_queue", &[]).await;
    assert_eq!(status, 200, "{first}");
    let total = first["total"].as_u64().unwrap() as usize;
    assert!(total >= 60, "{total}");
    assert_eq!(ids(&first).len(), 50);
    let (_, second) = app.call_as(&staff, "review_queue", &[("page", "2")]).await;
    assert_eq!(second["page"], 2);
    assert_eq!(ids(&second).len(), total - 50);
    assert!(ids(&second).iter().all(|id| !ids(&first).contains(id)));
    assert_eq!(second["total"], first["total"]);
    // The two pages in a row: overdue files first, each part by deadline, and the overdue
    // count (SQL) equal to the files the rule (Rust) calls overdue.
    let all: Vec<serde_json::Value> = [&first, &second]
        .iter()
        .flat_map(|p| p["items"].as_array().unwrap().clone())
        .collect();
    let today = now.date_naive();
    for item in &all {
        let started: chrono::NaiveDate = item["submitted_on"].as_str().unwrap().parse().unwrap();
        let on_staff = item["eligibility_status"] == "pending" || item["appeal"] == true;
        assert_eq!(
            item["overdue"].as_bool().unwrap(),
            app::org::rules::review_overdue(on_staff, started, today),
            "{item}"
        );
    }
    let overdue_flags: Vec<bool> = all.iter().map(|i| i["overdue"].as_bool().unwrap()).collect();
    let overdue = overdue_flags.iter().filter(|o| **o).count();
    assert_eq!(first["overdue"].as_u64().unwrap() as usize, overdue);
    assert!(
        overdue > 0 && overdue < total,
        "a mix of overdue and on-time files: {overdue} of {total}"
    );
    assert!(
        overdue_flags.iter().take(overdue).all(|o| *o),
        "overdue files come first"
    );
    for part in [&all[..overdue], &all[overdue..]] {
        let deadlines: Vec<&str> = part.iter().map(|i| i["deadline"].as_str().unwrap()).collect();
        assert!(deadlines.windows(2).all(|w| w[0] <= w[1]), "by deadline: {deadlines:?}");
    }
    assert!(all.iter().any(|i| i["appeal"] == true) && all.iter().any(|i| i["eligibility_status"] == "info_requested"));
    // Past the end: an empty page, not an error; page 0 is the first.
    let (status, past) = app.call_as(&staff, "review_queue", &[("page", "9")]).await;
    assert_eq!((status, ids(&past).len()), (200, 0));
    assert_eq!(
        ids(&app.call_as(&staff, "review_queue", &[("page", "0")]).await.1),
        ids(&first)
    );
}

/// What a plain route answered, in a form that compares: the status, and for a redirect where
/// it leads (without its query).
async fn outcome(response: reqwest::Response) -> String {
    let status = response.status().as_u16();
    match response.headers().get("location").and_then(|v| v.to_str().ok()) {
        Some(location) => format!("{status} {}", location.split('?').next().unwrap_or_default()),
        None => status.to_string(),
    }
}

/// The axum routes beside the server functions (documents, invoice PDFs and QR codes, the audit export,
/// bank statements, the partner API), each called by the six callers of the matrix above.
/// A route added to `server/src/lib.rs` without its row here makes this test fail.
#[tokio::test]
async fn every_plain_route_authorises_its_caller() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let callers = [
        Caller::default(),
        holder.clone(),
        app.login("amis-membre", DEMO_PASSWORD).await,
        app.login("biblio", DEMO_PASSWORD).await,
        app.login("agent", DEMO_PASSWORD).await,
        app.login("staff", DEMO_PASSWORD).await,
    ];
    // A document and an invoice of Les Amis.
    let (content_type, body) = multipart("statutes", "statuts.pdf", b"%PDF-1.7\n% statuts\n%%EOF\n");
    let uploaded = app
        .client
        .post(app.url("/documents"))
        .header("content-type", content_type)
        .header("cookie", holder.cookie.clone().unwrap())
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(outcome(uploaded).await, "303 /account");
    let (_, file) = app.call_as(&holder, "my_organisation", &[]).await;
    let document_id = file["documents"][0]["document_id"].as_str().unwrap().to_owned();
    let (_, invoice_id, _) = order_a_laptop(&app, &holder, "plain-routes-key-0001").await;

    enum Body {
        None,
        Multipart(&'static str, &'static [u8]),
        Json(&'static str),
    }
    // (route as declared, method, concrete path, body, outcome per caller: visitor, holder,
    // member, another organisation's holder, staff agent, staff admin).
    let rows: Vec<(&str, &str, String, Body, [&str; 6])> = vec![
        ("/healthz", "GET", "/healthz".into(), Body::None, ["200"; 6]),
        // Public like /healthz: a load balancer asks it without a session.
        ("/readyz", "GET", "/readyz".into(), Body::None, ["200"; 6]),
        (
            "/documents",
            "POST",
            "/documents".into(),
            Body::Multipart("statutes", b"%PDF-1.7\n% encore\n%%EOF\n"),
            // Staff belong to no organisation: nothing to attach a document to.
            [
                "303 /login",
                "303 /account",
                "303 /account",
                "303 /account",
                "403",
                "403",
            ],
        ),
        // A change request with its document: the holder files (here refused for its empty
        // note, back to the account page); members, staff and visitors cannot.
        (
            "/change-requests",
            "POST",
            "/change-requests".into(),
            Body::Multipart("change_request", b"%PDF-1.7\n% statuts modifies\n%%EOF\n"),
            ["303 /login", "303 /account", "403", "303 /account", "403", "403"],
        ),
        (
            "/documents/{id}",
            "GET",
            format!("/documents/{document_id}"),
            Body::None,
            ["401", "200", "200", "404", "200", "200"],
        ),
        (
            "/invoices/{id}/pdf",
            "GET",
            format!("/invoices/{invoice_id}/pdf"),
            Body::None,
            ["401", "200", "200", "404", "200", "200"],
        ),
        // Les Amis is not VAT-registered: no e-invoice; credit notes by id (money.rs reads real
        // ones as their organisation, another one and a visitor).
        (
            "/invoices/{id}/ubl",
            "GET",
            format!("/invoices/{invoice_id}/ubl"),
            Body::None,
            ["401", "404", "404", "404", "404", "404"],
        ),
        (
            "/credit-notes/{id}/pdf",
            "GET",
            "/credit-notes/nope/pdf".into(),
            Body::None,
            ["401", "404", "404", "404", "404", "404"],
        ),
        (
            "/credit-notes/{id}/ubl",
            "GET",
            "/credit-notes/nope/ubl".into(),
            Body::None,
            ["401", "404", "404", "404", "404", "404"],
        ),
        (
            "/admin/documents.zip",
            "GET",
            "/admin/documents.zip?from=2026-01-01&to=2026-12-31".into(),
            Body::None,
            ["401", "403", "403", "403", "200", "200"],
        ),
        // "Mes données": each person's own zip; the organisation's only to its holder.
        (
            "/account/my-data.zip",
            "GET",
            "/account/my-data.zip".into(),
            Body::None,
            ["401", "200", "200", "200", "200", "200"],
        ),
        (
            "/account/organisation-data.zip",
            "GET",
            "/account/organisation-data.zip".into(),
            Body::None,
            ["401", "200", "403", "200", "403", "403"],
        ),
        (
            "/invoices/{id}/qr.png",
            "GET",
            format!("/invoices/{invoice_id}/qr.png"),
            Body::None,
            ["401", "200", "200", "404", "200", "200"],
        ),
        (
            "/api/v1/tokens/verify",
            "POST",
            "/api/v1/tokens/verify".into(),
            Body::Json(r#"{"token":"123a4567@1b234c5de6789000"}"#),
            // The partner API knows partners' keys only: no session opens it.
            ["401"; 6],
        ),
        (
            "/api/v1/openapi.json",
            "GET",
            "/api/v1/openapi.json".into(),
            Body::None,
            ["200"; 6],
        ),
        (
            "/admin/audit/export",
            "GET",
            "/admin/audit/export".into(),
            Body::None,
            ["401", "403", "403", "403", "200", "200"],
        ),
        // Staff approve a join request with its document (here one no request has: back to
        // the list); nobody else may.
        (
            "/admin/join-requests/{id}/approve",
            "POST",
            "/admin/join-requests/nobody/approve".into(),
            Body::Multipart("member", b"%PDF-1.7\n% mandat\n%%EOF\n"),
            [
                "303 /login",
                "403",
                "403",
                "403",
                "303 /admin/join-requests",
                "303 /admin/join-requests",
            ],
        ),
        (
            "/admin/join-requests/{id}/document",
            "GET",
            "/admin/join-requests/nobody/document".into(),
            Body::None,
            ["401", "403", "403", "403", "404", "404"],
        ),
        (
            "/admin/payments/import",
            "POST",
            "/admin/payments/import".into(),
            Body::Multipart("statement", b"not a bank statement"),
            [
                "303 /login",
                "403",
                "403",
                "403",
                "303 /admin/payments",
                "303 /admin/payments",
            ],
        ),
        (
            "/admin/import/migration",
            "POST",
            "/admin/import/migration".into(),
            // Fields that name no migration file: staff are sent back to the form.
            Body::Multipart("organisations", b"legacy_id;legal_name"),
            [
                "303 /login",
                "403",
                "403",
                "403",
                "303 /admin/import",
                "303 /admin/import",
            ],
        ),
    ];

    let declared: Vec<&str> = include_str!("../src/lib.rs")
        .split(".route(")
        .skip(1)
        .filter_map(|rest| rest.trim_start().strip_prefix('"')?.split('"').next())
        .collect();
    let covered: Vec<&str> = rows.iter().map(|row| row.0).collect();
    for route in &declared {
        assert!(covered.contains(route), "route {route} has no row in this test");
    }

    let mut checks = 0;
    for (route, method, path, body, want) in &rows {
        let names = ["visitor", "holder", "member", "other organisation", "agent", "admin"];
        for ((caller, name), want) in callers.iter().zip(names).zip(want) {
            let mut request = match *method {
                "GET" => app.client.get(app.url(path)),
                _ => app.client.post(app.url(path)),
            };
            if let Some(cookie) = &caller.cookie {
                request = request.header("cookie", cookie);
            }
            request = match body {
                Body::None => request,
                Body::Multipart(kind, content) => {
                    let (content_type, bytes) = multipart(kind, "file.pdf", content);
                    request.header("content-type", content_type).body(bytes)
                }
                Body::Json(json) => request.header("content-type", "application/json").body(*json),
            };
            let got = outcome(request.send().await.unwrap()).await;
            assert_eq!(&got, want, "{method} {route} as {name}");
            checks += 1;
        }
    }
    assert_eq!(checks, declared.len() * 6);
    eprintln!("matrix: {} plain routes, 6 callers each", declared.len());
}

#[tokio::test]
async fn polyglots_are_refused_and_documents_are_served_as_sandboxed_attachments() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let cookie = holder.cookie.clone().unwrap();
    let upload = |content: &'static [u8], name: &'static str| upload_statutes(&app, &cookie, name, content);
    // A PDF that is also an HTML page: shown in the portal's origin, its script would run
    // as the portal's. And a PNG with a page appended after its last chunk.
    let polyglot = b"%PDF-1.7\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n";
    assert_eq!(location(&upload(polyglot, "s.pdf").await), "/account?upload=file_type");
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\0IEND\xAE\x42\x60\x82<html><script>x()</script>";
    assert_eq!(location(&upload(png, "s.png").await), "/account?upload=file_type");
    let (_, file) = app.call_as(&holder, "my_organisation", &[]).await;
    assert_eq!(file["documents"].as_array().unwrap().len(), 0, "nothing was kept");

    let pdf = b"%PDF-1.7\n% statuts\n%%EOF\n";
    assert_eq!(location(&upload(pdf, "procès-verbal.pdf").await), "/account?upload=ok");
    let (_, file) = app.call_as(&holder, "my_organisation", &[]).await;
    let path = format!("/documents/{}", file["documents"][0]["document_id"].as_str().unwrap());
    let response = app.get_as(&holder, &path).await;
    assert_eq!(response.status().as_u16(), 200);
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(
        header("content-disposition"),
        "attachment; filename=\"proc_s-verbal.pdf\"; filename*=UTF-8''proc%C3%A8s-verbal.pdf"
    );
    assert!(header("content-security-policy").starts_with("sandbox"));
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("content-type"), "application/pdf");
}
