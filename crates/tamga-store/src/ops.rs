//! The operations of both backends, written once: [`backend_ops!`] expands them for a
//! connection type, a pool type and a [`Dialect`]. Writes run inside a transaction their caller
//! owns; reads take the pool.

macro_rules! backend_ops {
    ($conn:ty, $pool:ty, $dialect:expr, $risk:ident) => {
        use tamga_core::mrn::Mrn;
        use tamga_core::status::check_transition;

        use crate::records::*;
        use crate::revenue::*;
        use crate::rows::{ReferenceRow, UnitValueRow};
        use tamga_core::tariff::valuation::Reference;
        use crate::rows::{
            decimal, AssessmentRow, LatestAssessmentRow, PaymentRow, RateDbRow, TariffRow,
        };
        use crate::rows::{
            acceptance_events, DeclarationRow, EventRow, ExistingRow, SummaryRow, UserRow,
        };
        use crate::sql::{self, bind_all, Dialect};
        use crate::{Result, StoreError};

        pub(crate) async fn create_user(conn: &mut $conn, user: NewUser) -> Result<User> {
            let at = sql::now();
            let id: Option<i64> = sqlx::query_scalar(sql::INSERT_USER)
                .bind(&user.name)
                .bind(user.role.as_str())
                .bind(&user.party_id)
                .bind(at)
                .fetch_optional(&mut *conn)
                .await?;
            let id = id.ok_or_else(|| StoreError::Conflict(format!("a user named {:?}", user.name)))?;
            sqlx::query(sql::INSERT_TOKEN)
                .bind(&user.token_hash)
                .bind(id)
                .bind(at)
                .execute(&mut *conn)
                .await?;
            Ok(User {
                id,
                name: user.name,
                role: user.role,
                party_id: user.party_id,
            })
        }

        pub(crate) async fn lodge(conn: &mut $conn, mut l: Lodgement) -> Result<LodgeOutcome> {
            let d = &l.declaration;
            let existing: Option<ExistingRow> = sqlx::query_as(sql::SELECT_EXISTING)
                .bind(d.declarant.id.as_str())
                .bind(d.lrn.as_str())
                .fetch_optional(&mut *conn)
                .await?;
            if let Some(existing) = existing {
                return resubmission(conn, existing, &l.fingerprint).await;
            }
            let serial: i64 = sqlx::query_scalar($dialect.next_serial())
                .fetch_one(&mut *conn)
                .await?;
            let serial = u64::try_from(serial).map_err(|_| StoreError::Mrn(format!("bad serial {serial}")))?;
            let mrn = Mrn::assign(l.at.year(), &d.customs_office, d.declaration_type, serial)
                .map_err(|e| StoreError::Mrn(e.message))?;
            let binds = sql::declaration_binds(&l, mrn.as_str(), l.prepared.document.clone());
            let insert = sql::insert_declaration($dialect);
            let id: Option<i64> = bind_all!(sqlx::query_scalar(&insert), binds)
                .fetch_optional(&mut *conn)
                .await?;
            let id = id.ok_or_else(|| StoreError::Conflict(format!("LRN {}", d.lrn)))?;
            let (items_sql, item_binds) = sql::insert_items(id, d);
            bind_all!(sqlx::query(&items_sql), item_binds)
                .execute(&mut *conn)
                .await?;
            if let Some(risk) = l.risk.take() {
                l.risk = Some(crate::risk_ops::$risk::settle_claim(conn, risk).await?);
            }
            let events = acceptance_events(&l.lodged_by.name, l.at, l.risk.as_ref());
            let (events_sql, event_binds) = sql::insert_events(id, &events);
            bind_all!(sqlx::query(&events_sql), event_binds).execute(&mut *conn).await?;
            if let (Some(assessment), Some(document)) = (&l.assessment, &l.prepared.assessment) {
                sqlx::query(&sql::insert_assessment($dialect))
                    .bind(id)
                    .bind(1_i64)
                    .bind(l.at)
                    .bind(crate::SYSTEM_ACTOR)
                    .bind("assessed at acceptance")
                    .bind(&assessment.currency)
                    .bind(assessment.total.to_string())
                    .bind(document)
                    .bind(None::<String>)
                    .execute(&mut *conn)
                    .await?;
            }
            if let Some(risk) = &l.risk {
                crate::risk_ops::$risk::insert_decision(conn, id, risk, l.at).await?;
            }
            if !l.prepared.unit_values.is_empty() {
                let (values_sql, value_binds) = sql::insert_unit_values($dialect, id, &l.prepared.unit_values);
                bind_all!(sqlx::query(&values_sql), value_binds).execute(&mut *conn).await?;
            }
            Ok(LodgeOutcome::Accepted(Box::new(DeclarationRecord {
                mrn: mrn.to_string(),
                status: l.status(),
                accepted_at: l.at,
                updated_at: l.at,
                channel: l.risk.map(|r| r.channel),
                declaration: l.declaration,
                events,
            })))
        }

        pub(crate) async fn lrn_holder(pool: &$pool, declarant: &str, lrn: &str) -> Result<Option<(String, String)>> {
            let existing: Option<ExistingRow> = sqlx::query_as(sql::SELECT_EXISTING)
                .bind(declarant)
                .bind(lrn)
                .fetch_optional(pool)
                .await?;
            Ok(existing.map(|e| (e.mrn, e.fingerprint)))
        }

        pub(crate) async fn resubmission(conn: &mut $conn, existing: ExistingRow, fingerprint: &str) -> Result<LodgeOutcome> {
            if existing.fingerprint != fingerprint {
                return Ok(LodgeOutcome::LrnTaken { mrn: existing.mrn });
            }
            let record = record_by_id(conn, existing.id).await?;
            Ok(LodgeOutcome::Resubmitted(Box::new(record)))
        }

        pub(crate) async fn record_by_id(conn: &mut $conn, id: i64) -> Result<DeclarationRecord> {
            let row: DeclarationRow = sqlx::query_as(&sql::select_declaration_by_id($dialect))
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
            let events: Vec<EventRow> = sqlx::query_as(sql::SELECT_EVENTS)
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
            row.into_record(events)
        }

        pub(crate) async fn insert_event(conn: &mut $conn, id: i64, event: &Event) -> Result<()> {
            sqlx::query(sql::INSERT_EVENT)
                .bind(id)
                .bind(event.seq)
                .bind(event.at)
                .bind(event.status.as_str())
                .bind(&event.actor)
                .bind(&event.reason)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        pub(crate) async fn transition(conn: &mut $conn, mrn: &str, scope: &Scope, change: StatusChange) -> Result<TransitionOutcome> {
            let (text, binds) = sql::select_declaration($dialect, mrn, scope);
            let text = format!("{text}{}", $dialect.lock_row());
            let row: Option<DeclarationRow> = bind_all!(sqlx::query_as(&text), binds)
                .fetch_optional(&mut *conn)
                .await?;
            let Some(row) = row else {
                return Ok(TransitionOutcome::NotFound);
            };
            let from = crate::rows::status(&row.status)?;
            if let Err(refusal) = check_transition(change.actor.role, from, change.to) {
                return Ok(TransitionOutcome::Refused(refusal));
            }
            let id = row.id;
            if change.to == tamga_core::status::Status::Released {
                if let Some(balance) = balance_of(conn, id).await? {
                    if balance.due > rust_decimal::Decimal::ZERO {
                        return Ok(TransitionOutcome::BalanceDue(balance));
                    }
                }
            }
            let seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM declaration_events WHERE declaration_id = $1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
            let event = Event {
                seq,
                at: change.at,
                status: change.to,
                actor: change.actor.name.clone(),
                reason: Some(change.reason.clone()),
            };
            sqlx::query(sql::UPDATE_STATUS)
                .bind(change.to.as_str())
                .bind(change.at)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            insert_event(conn, id, &event).await?;
            record_by_id(conn, id)
                .await
                .map(|r| TransitionOutcome::Done(Box::new(r)))
        }

        pub(crate) async fn insert_assessment(conn: &mut $conn, id: i64, record: &AssessmentRecord) -> Result<()> {
            let document = serde_json::to_string(&record.assessment).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            sqlx::query(&sql::insert_assessment($dialect))
                .bind(id)
                .bind(record.version)
                .bind(record.assessed_at)
                .bind(&record.assessed_by)
                .bind(&record.reason)
                .bind(&record.assessment.currency)
                .bind(record.assessment.total.to_string())
                .bind(document)
                .bind(record.corrections.as_ref().map(ToString::to_string))
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        /// Records a re-assessment as the next version; `None` when the declaration is not
        /// visible to `scope`.
        pub(crate) async fn add_assessment(conn: &mut $conn, mrn: &str, scope: &Scope, new: NewAssessment) -> Result<Option<Reassessed>> {
            let Some(id) = visible_id(conn, mrn, scope).await? else { return Ok(None) };
            let previous = balance_of(conn, id).await?.map(|b| b.assessed);
            let version: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM assessments WHERE declaration_id = $1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
            let record = AssessmentRecord {
                version,
                assessed_at: new.at,
                assessed_by: new.by.name.clone(),
                reason: Some(new.reason),
                corrections: Some(new.corrections),
                assessment: new.assessment,
            };
            insert_assessment(conn, id, &record).await?;
            let balance = balance_of(conn, id).await?.ok_or_else(|| StoreError::Corrupt("an assessment vanished".into()))?;
            Ok(Some(Reassessed { record, balance, previous_total: previous.unwrap_or_default() }))
        }

        /// Every recorded unit value with an origin, grouped by (HS6, origin).
        pub(crate) async fn unit_value_samples(pool: &$pool) -> Result<Vec<(String, String, Vec<rust_decimal::Decimal>)>> {
            let rows: Vec<UnitValueRow> = sqlx::query_as(&sql::select_unit_values($dialect)).fetch_all(pool).await?;
            let mut groups: Vec<(String, String, Vec<rust_decimal::Decimal>)> = Vec::new();
            for row in rows {
                let value = decimal(&row.unit_value)?;
                match groups.last_mut() {
                    Some((hs6, origin, values)) if *hs6 == row.hs6 && *origin == row.origin => values.push(value),
                    _ => groups.push((row.hs6, row.origin, vec![value])),
                }
            }
            Ok(groups)
        }

        pub(crate) async fn save_references(conn: &mut $conn, references: Vec<Reference>, source: String) -> Result<usize> {
            let upsert = sql::upsert_reference($dialect);
            let at = sql::now();
            for r in &references {
                sqlx::query(&upsert)
                    .bind(&r.hs6)
                    .bind(&r.origin)
                    .bind(r.median.to_string())
                    .bind(r.q1.to_string())
                    .bind(r.q3.to_string())
                    .bind(r.count)
                    .bind(&source)
                    .bind(at)
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(references.len())
        }

        pub(crate) async fn references(pool: &$pool) -> Result<Vec<Reference>> {
            let rows: Vec<ReferenceRow> = sqlx::query_as(&sql::select_references($dialect)).fetch_all(pool).await?;
            rows.into_iter().map(ReferenceRow::into_reference).collect()
        }

        pub(crate) async fn save_cargo_report(conn: &mut $conn, new: crate::cargo::NewCargoReport) -> Result<crate::cargo::CargoOutcome> {
            use crate::cargo::CargoOutcome;
            let fingerprint = new.fingerprint();
            let existing: Option<(i64, String)> = sqlx::query_as("SELECT id, fingerprint FROM cargo_reports WHERE carrier = $1 AND reference = $2")
                .bind(&new.carrier)
                .bind(&new.report.reference)
                .fetch_optional(&mut *conn)
                .await?;
            if let Some((id, seen)) = existing {
                if seen != fingerprint {
                    return Ok(CargoOutcome::ReferenceTaken { id });
                }
                let stored = cargo_report_by(conn, id).await?.ok_or_else(|| StoreError::Corrupt("a cargo report vanished".into()))?;
                return Ok(CargoOutcome::Resubmitted(stored));
            }
            let document = serde_json::to_string(&new.report).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let insert = format!(
                "INSERT INTO cargo_reports (carrier, reference, arrival_place, expected_arrival, consignments, lodged_by, received_at, fingerprint, document) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, {}) ON CONFLICT (carrier, reference) DO NOTHING RETURNING id",
                $dialect.json_param(9)
            );
            let id: Option<i64> = sqlx::query_scalar(&insert)
                .bind(&new.carrier)
                .bind(&new.report.reference)
                .bind(&new.report.arrival_place)
                .bind(&new.report.expected_arrival)
                .bind(i64::try_from(new.report.consignments.len()).unwrap_or(i64::MAX))
                .bind(new.by.id)
                .bind(new.at)
                .bind(&fingerprint)
                .bind(document)
                .fetch_optional(&mut *conn)
                .await?;
            let id = id.ok_or_else(|| StoreError::Conflict(format!("cargo report {}", new.report.reference)))?;
            Ok(CargoOutcome::Stored(crate::cargo::StoredCargoReport { id, carrier: new.carrier, received_at: new.at, report: new.report }))
        }

        async fn cargo_report_by(conn: &mut $conn, id: i64) -> Result<Option<crate::cargo::StoredCargoReport>> {
            let sql = format!("SELECT id, carrier, received_at, {} FROM cargo_reports WHERE id = $1", $dialect.json_column("document"));
            let row: Option<(i64, String, time::OffsetDateTime, String)> = sqlx::query_as(&sql).bind(id).fetch_optional(&mut *conn).await?;
            row.map(cargo_row).transpose()
        }

        pub(crate) async fn cargo_report(pool: &$pool, id: i64) -> Result<Option<crate::cargo::StoredCargoReport>> {
            let mut conn = pool.acquire().await?;
            cargo_report_by(&mut conn, id).await
        }

        pub(crate) async fn cargo_reports(pool: &$pool, before: Option<i64>, limit: u32) -> Result<Vec<crate::cargo::StoredCargoReport>> {
            let sql = format!(
                "SELECT id, carrier, received_at, {} FROM cargo_reports WHERE id < $1 ORDER BY id DESC LIMIT $2",
                $dialect.json_column("document")
            );
            let rows: Vec<(i64, String, time::OffsetDateTime, String)> = sqlx::query_as(&sql)
                .bind(before.unwrap_or(i64::MAX))
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?;
            rows.into_iter().map(cargo_row).collect()
        }

        fn cargo_row((id, carrier, received_at, document): (i64, String, time::OffsetDateTime, String)) -> Result<crate::cargo::StoredCargoReport> {
            let report = serde_json::from_str(&document).map_err(|e| StoreError::Corrupt(format!("cargo report {id}: {e}")))?;
            Ok(crate::cargo::StoredCargoReport { id, carrier, received_at, report })
        }

        /// The id of a declaration `scope` may see.
        pub(crate) async fn visible_id(conn: &mut $conn, mrn: &str, scope: &Scope) -> Result<Option<i64>> {
            let (text, binds) = sql::select_declaration_id(mrn, scope);
            Ok(bind_all!(sqlx::query_scalar(&text), binds).fetch_optional(&mut *conn).await?)
        }

        pub(crate) async fn assessments(pool: &$pool, mrn: &str, scope: &Scope) -> Result<Option<Vec<AssessmentRecord>>> {
            let mut conn = pool.acquire().await?;
            let Some(id) = visible_id(&mut conn, mrn, scope).await? else { return Ok(None) };
            let rows: Vec<AssessmentRow> = sqlx::query_as(&sql::select_assessments($dialect))
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
            rows.into_iter().map(AssessmentRow::into_record).collect::<Result<Vec<_>>>().map(Some)
        }

        /// The balance against the latest assessment, if there is one.
        pub(crate) async fn balance_of(conn: &mut $conn, id: i64) -> Result<Option<Balance>> {
            let latest: Option<LatestAssessmentRow> = sqlx::query_as(&sql::select_latest_assessment($dialect))
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
            let Some(latest) = latest else { return Ok(None) };
            let rows: Vec<PaymentRow> = sqlx::query_as(&sql::select_payments($dialect))
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
            let payments = rows.into_iter().map(PaymentRow::into_payment).collect::<Result<Vec<_>>>()?;
            Ok(Some(Balance::compute(latest.currency, latest.version, decimal(&latest.total)?, payments)))
        }

        pub(crate) async fn balance(pool: &$pool, mrn: &str, scope: &Scope) -> Result<Option<Option<Balance>>> {
            let mut conn = pool.acquire().await?;
            let Some(id) = visible_id(&mut conn, mrn, scope).await? else { return Ok(None) };
            balance_of(&mut conn, id).await.map(Some)
        }

        /// Records a payment or guarantee; `None` when the declaration is not visible, an inner
        /// `None` when it has no assessment to pay against.
        pub(crate) async fn record_payment(conn: &mut $conn, mrn: &str, scope: &Scope, payment: NewPayment) -> Result<Option<Option<Balance>>> {
            let Some(id) = visible_id(conn, mrn, scope).await? else { return Ok(None) };
            if balance_of(conn, id).await?.is_none() {
                return Ok(Some(None));
            }
            let inserted = sqlx::query(&sql::insert_payment($dialect))
                .bind(id)
                .bind(payment.kind.as_str())
                .bind(payment.amount.to_string())
                .bind(&payment.method)
                .bind(&payment.reference)
                .bind(&payment.by.name)
                .bind(payment.at)
                .execute(&mut *conn)
                .await?;
            if inserted.rows_affected() == 0 {
                return Err(StoreError::Conflict(format!("a {} with reference {:?} on {mrn}", payment.kind.as_str(), payment.reference)));
            }
            balance_of(conn, id).await.map(Some)
        }

        pub(crate) async fn import_tariff(conn: &mut $conn, import: TariffImport) -> Result<()> {
            sqlx::query(sql::INSERT_TARIFF)
                .bind(&import.name)
                .bind(&import.content)
                .bind(import.imported_at)
                .bind(&import.imported_by)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }

        pub(crate) async fn current_tariff(pool: &$pool) -> Result<Option<TariffImport>> {
            let row: Option<TariffRow> = sqlx::query_as(sql::SELECT_TARIFF).fetch_optional(pool).await?;
            Ok(row.map(|r| TariffImport {
                name: r.name,
                content: r.content,
                imported_at: r.imported_at,
                imported_by: r.imported_by,
            }))
        }

        pub(crate) async fn import_rates(conn: &mut $conn, rates: Vec<RateRow>) -> Result<usize> {
            let upsert = sql::upsert_rate($dialect);
            for rate in &rates {
                sqlx::query(&upsert)
                    .bind(&rate.currency)
                    .bind(rate.valid_from)
                    .bind(rate.rate.to_string())
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(rates.len())
        }

        pub(crate) async fn rates(pool: &$pool) -> Result<Vec<RateRow>> {
            let rows: Vec<RateDbRow> = sqlx::query_as(&sql::select_rates($dialect)).fetch_all(pool).await?;
            rows.into_iter()
                .map(|r| Ok(RateRow { rate: decimal(&r.rate)?, currency: r.currency, valid_from: r.valid_from }))
                .collect()
        }

        pub(crate) async fn user_count(pool: &$pool) -> Result<i64> {
            Ok(sqlx::query_scalar(sql::COUNT_USERS).fetch_one(pool).await?)
        }

        pub(crate) async fn user_by_token(pool: &$pool, token_hash: &str) -> Result<Option<User>> {
            let row: Option<UserRow> = sqlx::query_as(sql::SELECT_USER_BY_TOKEN)
                .bind(token_hash)
                .fetch_optional(pool)
                .await?;
            row.map(UserRow::into_user).transpose()
        }

        pub(crate) async fn declaration(
            pool: &$pool,
            mrn: &str,
            scope: &Scope,
        ) -> Result<Option<DeclarationRecord>> {
            let (text, binds) = sql::select_declaration($dialect, mrn, scope);
            let row: Option<DeclarationRow> = bind_all!(sqlx::query_as(&text), binds)
                .fetch_optional(pool)
                .await?;
            let Some(row) = row else { return Ok(None) };
            let events: Vec<EventRow> = sqlx::query_as(sql::SELECT_EVENTS)
                .bind(row.id)
                .fetch_all(pool)
                .await?;
            row.into_record(events).map(Some)
        }

        pub(crate) async fn list(pool: &$pool, query: &ListQuery, scope: &Scope) -> Result<Page> {
            let (text, binds) = sql::list(query, scope);
            let rows: Vec<SummaryRow> = bind_all!(sqlx::query_as(&text), binds)
                .fetch_all(pool)
                .await?;
            crate::records::page(rows, query.limit)
        }
    };
}

pub(crate) mod sqlite {
    backend_ops!(
        sqlx::SqliteConnection,
        sqlx::SqlitePool,
        Dialect::Sqlite,
        sqlite
    );
}

pub(crate) mod postgres {
    backend_ops!(
        sqlx::PgConnection,
        sqlx::PgPool,
        Dialect::Postgres,
        postgres
    );
}
