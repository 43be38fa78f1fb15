//! The targeting center's operations of both backends, written once like [`crate::ops`].

macro_rules! risk_ops {
    ($conn:ty, $pool:ty, $dialect:expr) => {
        use std::collections::HashMap;

        use crate::risk::*;
        use crate::{Result, StoreError};

        fn version(v: i64) -> Result<u32> {
            u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("document version {v}")))
        }

        pub(crate) async fn save_document(conn: &mut $conn, new: NewDocument) -> Result<DocumentOutcome> {
            let latest: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM risk_documents WHERE kind = $1 AND name = $2")
                .bind(new.kind)
                .bind(&new.name)
                .fetch_one(&mut *conn)
                .await?;
            let latest = latest.map(version).transpose()?;
            let fits = match new.expected {
                Expected::New => latest.is_none(),
                Expected::Version(v) => latest == Some(v),
                Expected::Any => true,
            };
            if !fits {
                return Ok(DocumentOutcome::Conflict { latest });
            }
            let next = latest.unwrap_or(0) + 1;
            let insert = format!(
                "INSERT INTO risk_documents (kind, name, version, document, changed_by, reason, changed_at) \
                 VALUES ($1, $2, $3, {}, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING version",
                $dialect.json_param(4)
            );
            let written: Option<i64> = sqlx::query_scalar(&insert)
                .bind(new.kind)
                .bind(&new.name)
                .bind(i64::from(next))
                .bind(&new.document)
                .bind(&new.by)
                .bind(&new.reason)
                .bind(new.at)
                .fetch_optional(&mut *conn)
                .await?;
            if written.is_none() {
                // Another server wrote this version first.
                return Ok(DocumentOutcome::Conflict { latest: Some(next) });
            }
            Ok(DocumentOutcome::Saved(StoredDocument {
                kind: new.kind.to_owned(),
                name: new.name,
                version: next,
                document: new.document,
                changed_by: new.by,
                reason: new.reason,
                changed_at: new.at,
            }))
        }

        pub(crate) async fn document_versions(pool: &$pool) -> Result<Vec<(String, String, u32)>> {
            let rows: Vec<(String, String, i64)> = sqlx::query_as(
                "SELECT kind, name, MAX(version) FROM risk_documents GROUP BY kind, name ORDER BY kind, name",
            )
            .fetch_all(pool)
            .await?;
            rows.into_iter().map(|(k, n, v)| Ok((k, n, version(v)?))).collect()
        }

        type DocumentRow = (String, String, i64, String, String, String, time::OffsetDateTime);

        pub(crate) async fn documents(pool: &$pool, kind: &str, name: Option<&str>, all_versions: bool) -> Result<Vec<StoredDocument>> {
            let latest = if all_versions {
                ""
            } else {
                " AND version = (SELECT MAX(version) FROM risk_documents l WHERE l.kind = d.kind AND l.name = d.name)"
            };
            let by_name = if name.is_some() { " AND name = $2" } else { "" };
            let text = format!(
                "SELECT kind, name, version, {}, changed_by, reason, changed_at FROM risk_documents d \
                 WHERE kind = $1{by_name}{latest} ORDER BY name, version",
                $dialect.json_column("document")
            );
            let mut query = sqlx::query_as::<_, DocumentRow>(&text).bind(kind);
            if let Some(name) = name {
                query = query.bind(name);
            }
            let rows = query.fetch_all(pool).await?;
            rows.into_iter()
                .map(|(kind, name, v, document, changed_by, reason, changed_at)| {
                    Ok(StoredDocument { kind, name, version: version(v)?, document, changed_by, reason, changed_at })
                })
                .collect()
        }

        /// Counts a red decision against its office's red capacity of the day. A claim the
        /// limit refuses stores the yellow record it names instead.
        pub(crate) async fn settle_claim(conn: &mut $conn, mut risk: RiskRecord) -> Result<RiskRecord> {
            let claim = risk.claim.take();
            if risk.channel != "red" {
                return Ok(risk);
            }
            let limit = match &claim {
                Some(c) if !c.must => c.limit.map_or(i64::MAX, i64::from),
                _ => i64::MAX,
            };
            let granted: Option<i64> = if limit == 0 {
                None
            } else {
                sqlx::query_scalar(crate::sql::CLAIM_RED)
                    .bind(&risk.office)
                    .bind(risk.day.to_string())
                    .bind(limit)
                    .fetch_optional(&mut *conn)
                    .await?
            };
            Ok(match (granted, claim) {
                (None, Some(claim)) => *claim.if_reached,
                _ => risk,
            })
        }

        pub(crate) async fn insert_decision(conn: &mut $conn, declaration_id: i64, risk: &RiskRecord, at: time::OffsetDateTime) -> Result<()> {
            let insert = format!(
                "INSERT INTO risk_decisions (declaration_id, office, channel, score, random, decided_at, decided_on, document) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, {})",
                $dialect.json_param(8)
            );
            sqlx::query(&insert)
                .bind(declaration_id)
                .bind(&risk.office)
                .bind(&risk.channel)
                .bind(risk.score)
                .bind(risk.random)
                .bind(at)
                .bind(risk.day.to_string())
                .bind(&risk.document)
                .execute(&mut *conn)
                .await?;
            for (id, v) in &risk.profiles {
                sqlx::query("INSERT INTO risk_selections (declaration_id, profile_id, profile_version) VALUES ($1, $2, $3)")
                    .bind(declaration_id)
                    .bind(id)
                    .bind(i64::from(*v))
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(())
        }

        pub(crate) async fn risk_decision(pool: &$pool, mrn: &str) -> Result<Option<StoredDecision>> {
            let text = format!(
                "SELECT d.mrn, r.channel, r.score, r.random, r.decided_at, {} FROM risk_decisions r \
                 JOIN declarations d ON d.id = r.declaration_id WHERE d.mrn = $1",
                $dialect.json_column("r.document").replace("AS r.document", "AS document")
            );
            let row: Option<(String, String, i64, bool, time::OffsetDateTime, String)> =
                sqlx::query_as(&text).bind(mrn).fetch_optional(pool).await?;
            let Some((mrn, channel, score, random, decided_at, document)) = row else {
                return Ok(None);
            };
            let text = format!(
                "SELECT o.recorded_by, o.recorded_at, {} FROM inspection_outcomes o \
                 JOIN declarations d ON d.id = o.declaration_id WHERE d.mrn = $1 ORDER BY o.id",
                $dialect.json_column("o.document").replace("AS o.document", "AS document")
            );
            let outcomes: Vec<(String, time::OffsetDateTime, String)> =
                sqlx::query_as(&text).bind(&mrn).fetch_all(pool).await?;
            let outcomes = outcomes
                .into_iter()
                .map(|(recorded_by, recorded_at, document)| StoredOutcome { recorded_by, recorded_at, document })
                .collect();
            Ok(Some(StoredDecision { mrn, channel, score, random, decided_at, document, outcomes }))
        }

        pub(crate) async fn record_outcome(conn: &mut $conn, mrn: String, outcome: StoredOutcome) -> Result<Option<()>> {
            let id: Option<i64> = sqlx::query_scalar("SELECT id FROM declarations WHERE mrn = $1")
                .bind(&mrn)
                .fetch_optional(&mut *conn)
                .await?;
            let Some(id) = id else { return Ok(None) };
            let insert = format!(
                "INSERT INTO inspection_outcomes (declaration_id, recorded_by, recorded_at, document) VALUES ($1, $2, $3, {})",
                $dialect.json_param(4)
            );
            sqlx::query(&insert)
                .bind(id)
                .bind(&outcome.recorded_by)
                .bind(outcome.recorded_at)
                .bind(&outcome.document)
                .execute(&mut *conn)
                .await?;
            Ok(Some(()))
        }

        pub(crate) async fn feedback(pool: &$pool, from: time::OffsetDateTime, to: time::OffsetDateTime) -> Result<Vec<FeedbackRow>> {
            const WINDOW: &str = "r.decided_at >= $1 AND r.decided_at < $2";
            let decisions: Vec<(i64, String, time::OffsetDateTime, String, bool)> = sqlx::query_as(&format!(
                "SELECT r.declaration_id, d.mrn, r.decided_at, r.channel, r.random FROM risk_decisions r \
                 JOIN declarations d ON d.id = r.declaration_id WHERE {WINDOW} ORDER BY r.declaration_id"
            ))
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?;
            let selections: Vec<(i64, String, i64)> = sqlx::query_as(&format!(
                "SELECT s.declaration_id, s.profile_id, s.profile_version FROM risk_selections s \
                 JOIN risk_decisions r ON r.declaration_id = s.declaration_id WHERE {WINDOW}"
            ))
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?;
            let outcomes: Vec<(i64, String)> = sqlx::query_as(&format!(
                "SELECT o.declaration_id, {} FROM inspection_outcomes o \
                 JOIN risk_decisions r ON r.declaration_id = o.declaration_id WHERE {WINDOW} ORDER BY o.id",
                $dialect.json_column("o.document").replace("AS o.document", "AS document")
            ))
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?;
            let mut profiles: HashMap<i64, Vec<(String, u32)>> = HashMap::new();
            for (id, profile, v) in selections {
                profiles.entry(id).or_default().push((profile, version(v)?));
            }
            let latest: HashMap<i64, String> = outcomes.into_iter().collect();
            Ok(decisions
                .into_iter()
                .map(|(id, mrn, decided_at, channel, random)| FeedbackRow {
                    mrn,
                    decided_at,
                    channel,
                    random,
                    profiles: profiles.remove(&id).unwrap_or_default(),
                    outcome: latest.get(&id).cloned(),
                })
                .collect())
        }

        pub(crate) async fn red_counts(pool: &$pool, day: time::Date) -> Result<Vec<(String, u32)>> {
            let rows: Vec<(String, i64)> = sqlx::query_as(
                "SELECT office, used FROM red_capacity WHERE day = $1",
            )
            .bind(day.to_string())
            .fetch_all(pool)
            .await?;
            Ok(rows.into_iter().map(|(o, n)| (o, u32::try_from(n).unwrap_or(u32::MAX))).collect())
        }

        pub(crate) async fn recent_declarations(pool: &$pool, limit: u32) -> Result<Vec<(String, tamga_core::Declaration)>> {
            let text = format!(
                "SELECT mrn, {} FROM declarations ORDER BY id DESC LIMIT $1",
                $dialect.json_column("document")
            );
            let rows: Vec<(String, String)> = sqlx::query_as(&text).bind(i64::from(limit)).fetch_all(pool).await?;
            rows.into_iter()
                .map(|(mrn, document)| {
                    let d = serde_json::from_str(&document)
                        .map_err(|e| StoreError::Corrupt(format!("declaration {mrn}: {e}")))?;
                    Ok((mrn, d))
                })
                .collect()
        }
    };
}

pub(crate) mod sqlite {
    use crate::sql::Dialect;
    risk_ops!(sqlx::SqliteConnection, sqlx::SqlitePool, Dialect::Sqlite);
}

pub(crate) mod postgres {
    use crate::sql::Dialect;
    risk_ops!(sqlx::PgConnection, sqlx::PgPool, Dialect::Postgres);
}
