//! The party registry and representatives' mandates. Mandates are never deleted (a trigger
//! refuses it): a revocation sets the last day a mandate applies and who revoked it.

use crate::conn::{Bind, Conn};
use crate::parties::{
    GrantOutcome, MandateRecord, NewMandate, NewParty, PartyRecord, Revocation, RevokeOutcome,
};
use crate::{Result, StoreError};

const PARTY_COLUMNS: &str = "id, name, country, address, aeo, changed_by, changed_at";
const MANDATE_COLUMNS: &str = "id, party_id, representative_id, representation, valid_from, \
     valid_until, granted_by, granted_at, revoked_by, revoked_at";

/// Registers a party; a registered identifier is a `Conflict`.
pub(crate) async fn create_party(conn: &mut Conn<'_>, party: NewParty) -> Result<PartyRecord> {
    let insert = format!(
        "INSERT INTO parties ({PARTY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (id) DO NOTHING RETURNING {PARTY_COLUMNS}"
    );
    let row: Option<PartyRecord> = conn.optional(&insert, &party_binds(&party)).await?;
    let row = row.ok_or_else(|| StoreError::Conflict(format!("party {}", party.id)))?;
    super::audit::record_debug(conn, &party.by, "party.create", &party.id, &party).await?;
    Ok(row)
}

/// Changes a registered party; `None` when the identifier is not registered.
pub(crate) async fn update_party(
    conn: &mut Conn<'_>,
    party: NewParty,
) -> Result<Option<PartyRecord>> {
    let update = format!(
        "UPDATE parties SET name = $2, country = $3, address = $4, aeo = $5, changed_by = $6, \
         changed_at = $7 WHERE id = $1 RETURNING {PARTY_COLUMNS}"
    );
    let row: Option<PartyRecord> = conn.optional(&update, &party_binds(&party)).await?;
    if row.is_some() {
        super::audit::record_debug(conn, &party.by, "party.update", &party.id, &party).await?;
    }
    Ok(row)
}

fn party_binds(party: &NewParty) -> [Bind<'_>; 7] {
    [
        Bind::Str(&party.id),
        Bind::Str(&party.name),
        Bind::Str(&party.country),
        Bind::OptStr(party.address.as_deref()),
        Bind::OptStr(party.aeo.as_deref()),
        Bind::Str(&party.by),
        Bind::Time(party.at),
    ]
}

pub(crate) async fn party(conn: &mut Conn<'_>, id: &str) -> Result<Option<PartyRecord>> {
    let select = format!("SELECT {PARTY_COLUMNS} FROM parties WHERE id = $1");
    conn.optional(&select, &[Bind::Str(id)]).await
}

/// Every registered party, by identifier; only those with AEO status when `aeo_only`.
pub(crate) async fn parties(conn: &mut Conn<'_>, aeo_only: bool) -> Result<Vec<PartyRecord>> {
    let filter = if aeo_only {
        " WHERE aeo IS NOT NULL"
    } else {
        ""
    };
    let select = format!("SELECT {PARTY_COLUMNS} FROM parties{filter} ORDER BY id");
    conn.all(&select, &[]).await
}

/// Grants a mandate between two registered parties, unless one of the same kind between
/// them already covers one of its days.
pub(crate) async fn grant_mandate(conn: &mut Conn<'_>, new: NewMandate) -> Result<GrantOutcome> {
    // The principal's row is locked, so concurrent grants of one party are judged one after
    // the other and cannot both pass the overlap check (SQLite's one writer does this anyway).
    let lock = format!(
        "SELECT id FROM parties WHERE id = $1{}",
        conn.dialect().lock_row()
    );
    let principal: Option<String> = conn
        .optional_scalar(&lock, &[Bind::Str(&new.party_id)])
        .await?;
    let mut unknown = Vec::new();
    if principal.is_none() {
        unknown.push(new.party_id.clone());
    }
    if new.representative_id != new.party_id && party(conn, &new.representative_id).await?.is_none()
    {
        unknown.push(new.representative_id.clone());
    }
    if !unknown.is_empty() {
        return Ok(GrantOutcome::UnknownParties(unknown));
    }
    if let Some(existing) = overlapping(conn, &new).await? {
        return Ok(GrantOutcome::Overlaps(existing));
    }
    let insert = format!(
        "INSERT INTO mandates (party_id, representative_id, representation, valid_from, \
         valid_until, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         RETURNING {MANDATE_COLUMNS}"
    );
    let binds = [
        Bind::Str(&new.party_id),
        Bind::Str(&new.representative_id),
        Bind::Str(&new.representation),
        Bind::Date(new.valid_from),
        Bind::OptDate(new.valid_until),
        Bind::Str(&new.by),
        Bind::Time(new.at),
    ];
    let granted: MandateRecord = conn.one(&insert, &binds).await?;
    let object = format!("mandate:{}", granted.id);
    super::audit::record_debug(conn, &new.by, "mandate.grant", &object, &new).await?;
    Ok(GrantOutcome::Granted(granted))
}

/// A mandate of the same kind between the same parties sharing a day with `new`.
async fn overlapping(conn: &mut Conn<'_>, new: &NewMandate) -> Result<Option<MandateRecord>> {
    let select = format!(
        "SELECT {MANDATE_COLUMNS} FROM mandates WHERE party_id = $1 AND representative_id = $2 \
         AND representation = $3 AND (valid_until IS NULL OR valid_until >= $4) \
         AND ($5 IS NULL OR valid_from <= $5) AND (valid_until IS NULL OR valid_until >= valid_from) \
         ORDER BY id LIMIT 1"
    );
    let binds = [
        Bind::Str(&new.party_id),
        Bind::Str(&new.representative_id),
        Bind::Str(&new.representation),
        Bind::Date(new.valid_from),
        Bind::OptDate(new.valid_until),
    ];
    conn.optional(&select, &binds).await
}

/// Ends a mandate the day before `effective` (never later than it already ended).
pub(crate) async fn revoke_mandate(conn: &mut Conn<'_>, r: Revocation) -> Result<RevokeOutcome> {
    let select = format!(
        "SELECT {MANDATE_COLUMNS} FROM mandates WHERE id = $1 AND party_id = $2{}",
        conn.dialect().lock_row()
    );
    let binds = [Bind::Int(r.mandate_id), Bind::Str(&r.party_id)];
    let Some(mandate) = conn.optional::<MandateRecord>(&select, &binds).await? else {
        return Ok(RevokeOutcome::Unknown);
    };
    if mandate.revoked_at.is_some() {
        return Ok(RevokeOutcome::AlreadyRevoked(mandate));
    }
    let last_day = r.effective.previous_day().unwrap_or(r.effective);
    let until = mandate.valid_until.map_or(last_day, |u| u.min(last_day));
    let update = format!(
        "UPDATE mandates SET valid_until = $2, revoked_by = $3, revoked_at = $4 WHERE id = $1 \
         RETURNING {MANDATE_COLUMNS}"
    );
    let binds = [
        Bind::Int(r.mandate_id),
        Bind::Date(until),
        Bind::Str(&r.by),
        Bind::Time(r.at),
    ];
    let revoked: MandateRecord = conn.one(&update, &binds).await?;
    let object = format!("mandate:{}", r.mandate_id);
    super::audit::record_debug(conn, &r.by, "mandate.revoke", &object, &r).await?;
    Ok(RevokeOutcome::Revoked(revoked))
}

/// Mandates a party gave or holds (every mandate when `party` is `None`), oldest first.
pub(crate) async fn mandates(
    conn: &mut Conn<'_>,
    party: Option<&str>,
) -> Result<Vec<MandateRecord>> {
    match party {
        Some(id) => {
            let select = format!(
                "SELECT {MANDATE_COLUMNS} FROM mandates \
                 WHERE party_id = $1 OR representative_id = $1 ORDER BY id"
            );
            conn.all(&select, &[Bind::Str(id)]).await
        }
        None => {
            let select = format!("SELECT {MANDATE_COLUMNS} FROM mandates ORDER BY id");
            conn.all(&select, &[]).await
        }
    }
}

/// The mandates `party` gave `representative`, oldest first.
pub(crate) async fn mandates_between(
    conn: &mut Conn<'_>,
    party: &str,
    representative: &str,
) -> Result<Vec<MandateRecord>> {
    let select = format!(
        "SELECT {MANDATE_COLUMNS} FROM mandates \
         WHERE party_id = $1 AND representative_id = $2 ORDER BY id"
    );
    conn.all(&select, &[Bind::Str(party), Bind::Str(representative)])
        .await
}
