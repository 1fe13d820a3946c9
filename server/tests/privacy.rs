//! Privacy (issue 25): erasure by anonymisation, the "Mes données" downloads and the
//! retention purge, on both engines.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use crate::common::{self, Caller, DEMO_PASSWORD, TestApp, spawn_app};
use serde_json::Value;
use std::io::Read as _;

/// Someone nobody else in the demo data resembles, so that any trace of them is theirs.
const NAME: &str = "Zéphyrine Quaresma";
const SURNAME: &str = "Quaresma";
const EMAIL: &str = "zephyrine.quaresma@example.org";
const PASSWORD: &str = "un mot de passe de Zéphyrine";

/// Les Amis' holder invites Zéphyrine, who accepts: her session.
async fn new_member(app: &TestApp, holder: &Caller) -> Caller {
    let (status, body) = app
        .call_as(holder, "invite_member", &[("full_name", NAME), ("email", EMAIL)])
        .await;
    assert_eq!(status, 200, "{body}");
    let mail = app.mail_to(EMAIL).await;
    let token = mail
        .last()
        .unwrap()
        .1
        .split("token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_owned();
    let (status, body) = app
        .call_as(
            &Caller::default(),
            "reset_password",
            &[("token", &token), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    app.login(EMAIL, PASSWORD).await
}

/// Every text column of every table, as (table, column).
async fn text_columns(app: &TestApp) -> Vec<(String, String)> {
    if matches!(app.db(), app::db::Db::Postgres(_)) {
        app::on_pool!(app.db(), |pool| sqlx::query_as::<_, (String, String)>(
            "select c.table_name::text, c.column_name::text from information_schema.columns c \
             join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema \
             where c.table_schema = 'public' and t.table_type = 'BASE TABLE' \
             and c.data_type in ('text', 'character varying', 'character')"
        )
        .fetch_all(pool)
        .await)
        .unwrap()
    } else {
        app::on_pool!(app.db(), |pool| sqlx::query_as::<_, (String, String)>(
            "select m.name, p.name from sqlite_master m join pragma_table_info(m.name) p \
             where m.type = 'table' and m.name not like 'sqlite_%' \
             and (upper(p.type) like '%TEXT%' or upper(p.type) like '%CHAR%' or p.type = '')"
        )
        .fetch_all(pool)
        .await)
        .unwrap()
    }
}

/// Where `needle` still appears (case-insensitively): "table.column × rows".
async fn traces_of(app: &TestApp, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (table, column) in text_columns(app).await {
        let sql = format!(
            "select count(*) from \"{table}\" where lower(cast(\"{column}\" as text)) like '%' || lower($1) || '%'"
        );
        let count: i64 = app::on_pool!(app.db(), |pool| sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
            .bind(needle)
            .fetch_one(pool)
            .await)
        .unwrap();
        if count > 0 {
            found.push(format!("{table}.{column} × {count}"));
        }
    }
    found
}

async fn person_id_of(app: &TestApp, admin: &Caller, query: &str) -> String {
    let (status, people) = app.call_as(admin, "find_people", &[("query", query)]).await;
    assert_eq!(status, 200, "{people}");
    people[0]["person_id"].as_str().unwrap().to_owned()
}

fn zip_entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            (file.name().unwrap().into_owned(), content)
        })
        .collect()
}

async fn download(app: &TestApp, caller: &Caller, path: &str) -> (u16, Vec<(String, Vec<u8>)>) {
    let response = app.get_as(caller, path).await;
    let status = response.status().as_u16();
    if status != 200 {
        return (status, Vec::new());
    }
    assert_eq!(response.headers()["content-type"].to_str().unwrap(), "application/zip");
    (status, zip_entries(&response.bytes().await.unwrap()))
}

fn json_of(entries: &[(String, Vec<u8>)], name: &str) -> Value {
    let (_, bytes) = entries.iter().find(|(n, _)| n == name).unwrap();
    serde_json::from_slice(bytes).unwrap()
}

#[tokio::test]
async fn an_erased_member_leaves_no_trace_while_the_invoices_still_print() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let admin = app.login("staff", DEMO_PASSWORD).await;
    let member = new_member(&app, &holder).await;

    // Zéphyrine leaves traces: a checkout (an order and its invoice), a reset link, a failed
    // login, a validation token made out to her, e-mails, audit events.
    let (status, placed) = app
        .call_as(
            &member,
            "checkout",
            &[
                ("idempotency_key", "privacy-key-00000001"),
                ("lines[0][slug]", "dell-latitude-5420"),
                ("lines[0][quantity]", "1"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{placed}");
    let checkout_id = placed["Placed"]["checkout_id"].as_str().unwrap().to_owned();
    let (_, invoices) = app
        .call_as(&member, "load_checkout", &[("checkout_id", &checkout_id)])
        .await;
    let invoice_id = invoices[0]["invoice_id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.call_as(&Caller::default(), "request_password_reset", &[("identifier", EMAIL)])
            .await
            .0,
        200
    );
    assert_eq!(
        app.call_as(
            &Caller::default(),
            "login",
            &[("identifier", EMAIL), ("password", "pas le bon")]
        )
        .await
        .0,
        422
    );
    let (status, body) = app
        .call_as(
            &holder,
            "create_token",
            &[
                ("form[for_whom]", "other"),
                ("form[recipient_name]", NAME),
                ("form[recipient_email]", EMAIL),
                ("form[purpose]", "Adobe"),
                ("form[partner_id]", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // A message to the programme, a request to join another organisation, a pending change
    // of her login e-mail.
    let (status, body) = app
        .call_as(
            &member,
            "send_contact_message",
            &[
                ("form[name]", ""),
                ("form[email]", ""),
                ("form[topic]", "invoice"),
                ("form[subject]", "Facture de Zéphyrine Quaresma"),
                (
                    "form[message]",
                    "Bonjour, ici Zéphyrine Quaresma (zephyrine.quaresma@example.org).",
                ),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .call_as(
            &Caller::default(),
            "request_join",
            &[
                ("form[full_name]", NAME),
                ("form[email]", EMAIL),
                ("form[enterprise_number]", "BE 0876.543.270"),
                ("form[message]", "Je suis aussi bénévole à la bibliothèque."),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .call_as(
            &member,
            "request_email_change",
            &[("new_email", "zq.nouvelle@example.org"), ("current_password", PASSWORD)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    for needle in [NAME, EMAIL] {
        assert!(
            !traces_of(&app, needle).await.is_empty(),
            "the test must leave traces of {needle}"
        );
    }

    let person_id = person_id_of(&app, &admin, EMAIL).await;
    let (status, body) = app.call_as(&admin, "erase_person", &[("person_id", &person_id)]).await;
    assert_eq!(status, 200, "{body}");

    for needle in [NAME, SURNAME, EMAIL] {
        assert_eq!(
            traces_of(&app, needle).await,
            Vec::<String>::new(),
            "traces of {needle}"
        );
    }
    // She is signed out and cannot sign in again, nor be erased twice.
    let (_, me) = app.call_as(&member, "current_user", &[]).await;
    assert_eq!(me, Value::Null);
    assert_eq!(
        app.call_as(
            &Caller::default(),
            "login",
            &[("identifier", EMAIL), ("password", PASSWORD)]
        )
        .await
        .0,
        422
    );
    assert_eq!(
        app.call_as(&admin, "erase_person", &[("person_id", &person_id)])
            .await
            .0,
        404
    );
    // The organisation's order and invoice stay, and the invoice still prints.
    let pdf = app.get_as(&holder, &format!("/invoices/{invoice_id}/pdf")).await;
    assert_eq!(pdf.status(), 200);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    let (status, _) = app
        .call_as(&holder, "load_invoice", &[("invoice_id", &invoice_id)])
        .await;
    assert_eq!(status, 200);
    // The erasure is audited, without the erased values; the earlier events are stamped.
    assert_eq!(app.audit_count("person.erased").await, 1);
    let redacted: i64 = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select count(*) from audit_event where redacted_at is not null"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert!(redacted > 0, "the invitation's audit event named her");
}

#[tokio::test]
async fn holders_staff_and_wrong_passwords_erase_nobody() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let member = app.login("amis-membre", DEMO_PASSWORD).await;
    let agent = app.login("agent", DEMO_PASSWORD).await;
    let admin = app.login("staff", DEMO_PASSWORD).await;

    // The holder hands the organisation over first, even with the right password.
    let (status, body) = app
        .call_as(
            &holder,
            "erase_my_account",
            &[("password", DEMO_PASSWORD), ("confirm", "yes")],
        )
        .await;
    assert_eq!((status, body["Conflict"].as_str()), (409, Some("holder_must_transfer")));
    // A wrong password, or no tick, erases nothing.
    let (status, body) = app
        .call_as(
            &member,
            "erase_my_account",
            &[("password", "pas le bon"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = app
        .call_as(&member, "erase_my_account", &[("password", DEMO_PASSWORD)])
        .await;
    assert_eq!(status, 422, "{body}");
    let (_, me) = app.call_as(&member, "current_user", &[]).await;
    assert_eq!(me["username"], "amis-membre");
    // Staff: an agent erases nobody; an admin neither a holder nor themself.
    let holder_id = person_id_of(&app, &admin, "amis").await;
    let admin_id = person_id_of(&app, &admin, "staff").await;
    assert_eq!(
        app.call_as(&agent, "erase_person", &[("person_id", &holder_id)])
            .await
            .0,
        403
    );
    let (status, body) = app.call_as(&admin, "erase_person", &[("person_id", &holder_id)]).await;
    assert_eq!((status, body["Conflict"].as_str()), (409, Some("holder_must_transfer")));
    let (status, body) = app.call_as(&admin, "erase_person", &[("person_id", &admin_id)]).await;
    assert_eq!((status, body["Conflict"].as_str()), (409, Some("own_erasure")));
    assert_eq!(app.audit_count("person.erased").await, 0);

    // The member erases their own account: signed out, and the login is gone.
    let (status, body) = app
        .call_as(
            &member,
            "erase_my_account",
            &[("password", DEMO_PASSWORD), ("confirm", "yes")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, me) = app.call_as(&member, "current_user", &[]).await;
    assert_eq!(me, Value::Null);
    assert_eq!(
        app.call_as(
            &Caller::default(),
            "login",
            &[("identifier", "amis-membre"), ("password", DEMO_PASSWORD)]
        )
        .await
        .0,
        422
    );
    for needle in ["karim@amisduquartier.example.org", "Karim Benali"] {
        assert_eq!(
            traces_of(&app, needle).await,
            Vec::<String>::new(),
            "traces of {needle}"
        );
    }
    assert_eq!(app.audit_count("person.erased").await, 1);
}

#[tokio::test]
async fn each_person_downloads_their_own_data_and_the_holder_the_organisation() {
    let app = spawn_app().await.with_demo().await;
    let holder = app.login("amis", DEMO_PASSWORD).await;
    let member = app.login("amis-membre", DEMO_PASSWORD).await;
    let other = app.login("biblio", DEMO_PASSWORD).await;
    let (status, placed) = app
        .call_as(
            &holder,
            "checkout",
            &[
                ("idempotency_key", "privacy-key-00000002"),
                ("lines[0][slug]", "dell-latitude-5420"),
                ("lines[0][quantity]", "1"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{placed}");

    // The member's own data: theirs, and no secret.
    let (status, entries) = download(&app, &member, "/account/my-data.zip").await;
    assert_eq!(status, 200);
    let mine = json_of(&entries, "my-data.json");
    assert_eq!(mine["profile"]["username"], "amis-membre");
    assert_eq!(mine["profile"]["email"], "karim@amisduquartier.example.org");
    assert_eq!(mine["memberships"][0]["legal_name"], "Les Amis du Quartier ASBL");
    assert!(!mine["sessions"].as_array().unwrap().is_empty());
    let text = serde_json::to_string(&mine).unwrap();
    assert!(!text.contains("password_hash") && !text.contains("$argon2"), "{text}");
    // Only the holder gets the organisation's file.
    assert_eq!(download(&app, &member, "/account/organisation-data.zip").await.0, 403);
    assert_eq!(
        download(&app, &Caller::default(), "/account/organisation-data.zip")
            .await
            .0,
        401
    );
    assert_eq!(download(&app, &Caller::default(), "/account/my-data.zip").await.0, 401);

    let (status, entries) = download(&app, &holder, "/account/organisation-data.zip").await;
    assert_eq!(status, 200);
    let file = json_of(&entries, "organisation.json");
    assert_eq!(file["organisation"]["legal_name"], "Les Amis du Quartier ASBL");
    let members: Vec<&str> = file["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["email"].as_str().unwrap())
        .collect();
    assert!(members.contains(&"karim@amisduquartier.example.org"), "{members:?}");
    assert!(members.contains(&"sophie@amisduquartier.example.org"), "{members:?}");
    assert!(!file["orders"].as_array().unwrap().is_empty());
    let invoices = file["invoices"].as_array().unwrap();
    assert!(!invoices.is_empty());
    let pdfs: Vec<&(String, Vec<u8>)> = entries.iter().filter(|(n, _)| n.starts_with("invoices/")).collect();
    assert!(
        pdfs.iter().any(|(n, b)| n.ends_with(".pdf") && b.starts_with(b"%PDF")),
        "{:?}",
        entries.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    let text = serde_json::to_string(&file).unwrap();
    assert!(
        !text.contains("Bibliothèque publique de Namur"),
        "no other organisation's data"
    );
    assert!(!text.contains("$argon2"));
    // Another holder gets their own organisation, never Les Amis.
    let (_, entries) = download(&app, &other, "/account/organisation-data.zip").await;
    let theirs = json_of(&entries, "organisation.json");
    assert_eq!(theirs["organisation"]["legal_name"], "Bibliothèque publique de Namur");
    assert!(!serde_json::to_string(&theirs).unwrap().contains("Les Amis du Quartier"));
}

#[tokio::test]
async fn retention_deletes_what_has_run_out_and_keeps_the_rest() {
    let app = spawn_app().await.with_demo().await;
    let state = server::app_state(common::test_config(&app.test_db.url, &[]), app.db().clone());
    let now = app::db::now();
    let days = chrono::Duration::days;
    let person: String = app::on_pool!(app.db(), |pool| sqlx::query_scalar(
        "select person_id from person where username = 'amis'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    // Each kind once past its period and once within it.
    for (i, (at, expires)) in [(now - days(40), now - days(31)), (now - days(2), now + days(5))]
        .into_iter()
        .enumerate()
    {
        app::on_pool!(app.db(), |pool| async {
            sqlx::query("insert into auth_attempt (auth_attempt_id, kind, subject, attempted_at) values ($1, 'login', 'name:x', $2)")
                .bind(format!("attempt-{i}"))
                .bind(if i == 0 { now - days(3) } else { now - chrono::Duration::minutes(30) })
                .execute(pool)
                .await?;
            sqlx::query("insert into session (session_id, person_id, created_at, last_seen_at, expires_at) values ($1, $2, $3, $3, $4)")
                .bind(format!("session-{i}"))
                .bind(&person)
                .bind(at)
                .bind(expires)
                .execute(pool)
                .await?;
            sqlx::query("insert into password_reset (token_hash, person_id, created_at, expires_at) values ($1, $2, $3, $4)")
                .bind(format!("reset-{i}"))
                .bind(&person)
                .bind(at)
                .bind(if i == 0 { now - days(8) } else { now - days(6) })
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        }
        .await)
        .unwrap();
    }
    // Two refused organisations with a document each: one refused 100 days ago, one 10.
    let mut refused = Vec::new();
    for (seq, reviewed) in [(901, now - days(100)), (902, now - days(10))] {
        let organisation_id = common::OrgBuilder::new(seq).insert(app.db()).await;
        app::on_pool!(app.db(), |pool| async {
            sqlx::query("update organisation set eligibility_status = 'rejected', reviewed_at = $2 where organisation_id = $1")
                .bind(&organisation_id)
                .bind(reviewed)
                .execute(pool)
                .await?;
            sqlx::query(
                "insert into document (document_id, organisation_id, kind, file_name, content_type, size_bytes, content, created_at) \
                 values ($1, $2, 'statutes', 'statuts.pdf', 'application/pdf', 4, $3, $4)",
            )
            .bind(format!("doc-{seq}"))
            .bind(&organisation_id)
            .bind(b"%PDF".to_vec())
            .bind(reviewed)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
        }
        .await)
        .unwrap();
        refused.push(organisation_id);
    }

    let db = app.db();
    let count = |sql: &'static str| async move {
        app::on_pool!(db, |pool| sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await).unwrap()
    };
    let purged = app::privacy::retention::purge(&state, now).await.unwrap();
    assert!(
        purged.attempts >= 1 && purged.sessions >= 1 && purged.links >= 1,
        "{purged:?}"
    );
    assert_eq!(purged.documents, 1, "{purged:?}");
    assert_eq!(
        count("select count(*) from auth_attempt where auth_attempt_id like 'attempt-%'").await,
        1
    );
    assert_eq!(
        count("select count(*) from auth_attempt where auth_attempt_id = 'attempt-1'").await,
        1
    );
    assert_eq!(
        count("select count(*) from session where session_id = 'session-1'").await,
        1
    );
    assert_eq!(
        count("select count(*) from session where session_id = 'session-0'").await,
        0
    );
    assert_eq!(
        count("select count(*) from password_reset where token_hash = 'reset-1'").await,
        1
    );
    assert_eq!(
        count("select count(*) from password_reset where token_hash = 'reset-0'").await,
        0
    );
    assert_eq!(
        count("select count(*) from document where document_id = 'doc-901'").await,
        0
    );
    assert_eq!(
        count("select count(*) from document where document_id = 'doc-902'").await,
        1
    );
    // The refused organisations themselves stay; a second run finds nothing left to delete.
    assert!(count("select count(*) from organisation where eligibility_status = 'rejected'").await >= 2);
    let again = app::privacy::retention::purge(&state, now).await.unwrap();
    assert_eq!(again, app::privacy::retention::Purged::default());
}
