//! SQL for organisations, people, memberships and qualifications.

use crate::db::{Db, DbTx, new_id};
use crate::org::model::{Country, EligibilityStatus, LegalForm, MemberRole, StaffRole};
use crate::org::rules::EnterpriseNumber;
use crate::{on_pool, on_tx};
use chrono::{DateTime, Utc};

/// A new organisation, already validated.
pub struct NewOrganisation<'a> {
    pub legal_name: &'a str,
    pub legal_form: LegalForm,
    pub enterprise_number: &'a EnterpriseNumber,
    pub street: &'a str,
    pub postal_code: &'a str,
    pub city: &'a str,
    pub contact_email: &'a str,
    pub mission_category: &'a str,
    pub eligibility_status: EligibilityStatus,
}

/// Inserts an organisation and returns its id.
pub async fn insert_organisation(
    tx: &mut DbTx,
    org: &NewOrganisation<'_>,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    let country: Country = org.enterprise_number.country();
    on_tx!(tx, |conn| sqlx::query(
        "insert into organisation (organisation_id, legal_name, legal_form, country, enterprise_number, street, \
         postal_code, city, contact_email, mission_category, eligibility_status, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)"
    )
    .bind(&id)
    .bind(org.legal_name)
    .bind(org.legal_form.as_str())
    .bind(country.as_str())
    .bind(org.enterprise_number.as_str())
    .bind(org.street)
    .bind(org.postal_code)
    .bind(org.city)
    .bind(org.contact_email)
    .bind(org.mission_category)
    .bind(org.eligibility_status.as_str())
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(id)
}

/// A person who can log in.
pub struct NewPerson<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub full_name: &'a str,
    /// An argon2id PHC string, never a password.
    pub password_hash: &'a str,
    pub staff_role: Option<StaffRole>,
}

pub async fn insert_person(tx: &mut DbTx, person: &NewPerson<'_>, now: DateTime<Utc>) -> Result<String, sqlx::Error> {
    let id = new_id();
    on_tx!(tx, |conn| sqlx::query(
        "insert into person (person_id, username, email, full_name, password_hash, staff_role, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $7)"
    )
    .bind(&id)
    .bind(person.username)
    .bind(person.email)
    .bind(person.full_name)
    .bind(person.password_hash)
    .bind(person.staff_role.map(StaffRole::as_str))
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(id)
}

pub async fn insert_membership(
    tx: &mut DbTx,
    organisation_id: &str,
    person_id: &str,
    role: MemberRole,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "insert into membership (organisation_id, person_id, role, created_at) values ($1, $2, $3, $4)"
    )
    .bind(organisation_id)
    .bind(person_id)
    .bind(role.as_str())
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Records staff's decision on one partner for one organisation (replacing an earlier one).
pub async fn upsert_qualification(
    tx: &mut DbTx,
    organisation_id: &str,
    partner_id: &str,
    qualified: bool,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let status = if qualified { "qualified" } else { "not_qualified" };
    on_tx!(tx, |conn| {
        sqlx::query(
        "insert into qualification (organisation_id, partner_id, status, decided_at) values ($1, $2, $3, $4) \
         on conflict (organisation_id, partner_id) do update set status = excluded.status, decided_at = excluded.decided_at"
    )
    .bind(organisation_id)
    .bind(partner_id)
    .bind(status)
    .bind(now)
    .execute(conn)
    .await
    .map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// "Organisations inscrites": every registered organisation, whatever its review state.
pub async fn count_organisations(db: &Db) -> Result<i64, sqlx::Error> {
    on_pool!(db, |pool| sqlx::query_scalar::<_, i64>(
        "select count(*) from organisation"
    )
    .fetch_one(pool)
    .await)
}

/// Whether a login name is taken.
pub async fn username_exists(db: &Db, username: &str) -> Result<bool, sqlx::Error> {
    let count = on_pool!(db, |pool| sqlx::query_scalar::<_, i64>(
        "select count(*) from person where username = $1"
    )
    .bind(username)
    .fetch_one(pool)
    .await)?;
    Ok(count > 0)
}
