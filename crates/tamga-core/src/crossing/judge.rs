//! The alerts a crossing raises, from its reading, what the post expected that it matched,
//! and the list and watchlist hits of its plate and containers.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Alert, AlertKind, Reading, SealState};

/// Where an expectation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// A goods declaration lodged at this post (its MRN).
    Declaration,
    /// A transit movement passing or ending at this post (its MRN).
    Transit,
    /// A cargo report's consignment arriving at this post (`report id/sequence`).
    Cargo,
}

impl Source {
    pub const ALL: [Source; 3] = [Source::Declaration, Source::Transit, Source::Cargo];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Declaration => "declaration",
            Source::Transit => "transit",
            Source::Cargo => "cargo",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// Something the post expected that the crossing matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Expected {
    pub source: Source,
    pub reference: String,
    /// The plate or containers of the crossing that named it.
    pub matched_by: Vec<String>,
    /// The declared gross mass of the goods, in kg, when every goods item gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub declared_gross_kg: Option<Decimal>,
}

/// A plate or container on a named list (`list:NAME`) or a watchlist (`watchlist:ENTRY`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Listed {
    pub ident: String,
    pub on: String,
}

/// Every alert the crossing raises, in a fixed order: pre-arrival, weight, lists, seals.
pub fn judge(
    reading: &Reading,
    expected: &[Expected],
    listed: &[Listed],
    tolerance_percent: Decimal,
) -> Vec<Alert> {
    let mut alerts = Vec::new();
    if expected.is_empty() {
        alerts.push(Alert {
            kind: AlertKind::NoPreArrival,
            message: format!(
                "no declaration, transit movement or cargo report at this post names {}",
                reading.idents().join(", ")
            ),
        });
    }
    alerts.extend(weight(reading, expected, tolerance_percent));
    if !listed.is_empty() {
        let hits: Vec<String> = listed
            .iter()
            .map(|l| format!("{} on {}", l.ident, l.on))
            .collect();
        alerts.push(Alert {
            kind: AlertKind::Listed,
            message: hits.join("; "),
        });
    }
    let broken: Vec<&str> = reading
        .seals
        .iter()
        .filter(|s| s.state == SealState::Broken)
        .map(|s| s.identifier.as_str())
        .collect();
    if !broken.is_empty() {
        alerts.push(Alert {
            kind: AlertKind::SealBroken,
            message: format!("seal reported broken: {}", broken.join(", ")),
        });
    }
    alerts
}

/// The declared gross mass the load is weighed against: the matched declarations' when there
/// are any (a consignment's cargo report and its declaration describe the same goods, so they
/// are never added), else the transit movements', else the cargo consignments'. `None` when
/// nothing matched or a matched document does not give every goods item's gross mass.
pub fn declared_mass(expected: &[Expected]) -> Option<(Source, Decimal)> {
    let source = Source::ALL
        .into_iter()
        .find(|s| expected.iter().any(|e| e.source == *s))?;
    let mut total = Decimal::ZERO;
    for e in expected.iter().filter(|e| e.source == source) {
        total = total.checked_add(e.declared_gross_kg?)?;
    }
    (total > Decimal::ZERO).then_some((source, total))
}

fn weight(reading: &Reading, expected: &[Expected], tolerance: Decimal) -> Option<Alert> {
    let (source, declared) = declared_mass(expected)?;
    let load = reading.load_kg();
    let deviation = (load - declared)
        .checked_mul(Decimal::ONE_HUNDRED)?
        .checked_div(declared)?;
    if deviation.abs() <= tolerance {
        return None;
    }
    Some(Alert {
        kind: AlertKind::Weight,
        message: format!(
            "weighed {} kg against {} kg declared by the {} ({:+} %, tolerance {} %)",
            load.normalize(),
            declared.normalize(),
            source.as_str(),
            deviation.round_dp(1).normalize(),
            tolerance.normalize()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crossing::{read, CrossingDraft, SealReadDraft};
    use crate::draft::DecimalText;

    fn truck(gross: &str) -> Reading {
        let draft = CrossingDraft {
            plate: Some("01 A 123 BC".into()),
            containers: vec!["CSQU3054383".into()],
            gross_weight_kg: Some(DecimalText(gross.into())),
            tare_weight_kg: Some(DecimalText("14000".into())),
            lane: Some("3".into()),
            crossed_at: Some("2026-11-30T09:15:00Z".into()),
            direction: Some("entry".into()),
            images: vec![],
            seals: vec![SealReadDraft {
                identifier: Some("UZ-1".into()),
                state: Some("intact".into()),
            }],
        };
        read(&draft).unwrap().0
    }

    fn declared(kg: i64) -> Vec<Expected> {
        vec![Expected {
            source: Source::Declaration,
            reference: "26UZ000000000000001".into(),
            matched_by: vec!["01A123BC".into()],
            declared_gross_kg: Some(Decimal::from(kg)),
        }]
    }

    #[test]
    fn the_right_weight_passes_and_twenty_percent_more_does_not() {
        let ten = Decimal::TEN;
        assert!(judge(&truck("34000"), &declared(20_000), &[], ten).is_empty());
        let heavy = judge(&truck("38000"), &declared(20_000), &[], ten);
        assert_eq!(heavy.len(), 1);
        assert_eq!(heavy[0].kind, AlertKind::Weight);
        assert!(heavy[0].message.contains("+20 %"), "{}", heavy[0].message);
    }

    #[test]
    fn nothing_expected_and_a_broken_seal_and_a_listing_each_alert() {
        let mut reading = truck("34000");
        reading.seals[0].state = SealState::Broken;
        let listed = [Listed {
            ident: "01A123BC".into(),
            on: "list:plates".into(),
        }];
        let kinds: Vec<_> = judge(&reading, &[], &listed, Decimal::TEN)
            .into_iter()
            .map(|a| a.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                AlertKind::NoPreArrival,
                AlertKind::Listed,
                AlertKind::SealBroken
            ]
        );
    }

    #[test]
    fn a_declaration_outranks_its_cargo_report_for_the_mass() {
        let mut e = declared(20_000);
        e.push(Expected {
            source: Source::Cargo,
            reference: "7/1".into(),
            matched_by: vec![],
            declared_gross_kg: Some(Decimal::from(5)),
        });
        assert_eq!(
            declared_mass(&e),
            Some((Source::Declaration, Decimal::from(20_000)))
        );
    }

    #[test]
    fn a_misread_check_digit_is_a_finding() {
        let draft = CrossingDraft {
            containers: vec!["CSQU3054384".into(), "12".into()],
            ..CrossingDraft::default()
        };
        let errors = read(&draft).unwrap_err();
        let pointers: Vec<_> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/plate",
                "/containers/1",
                "/gross_weight_kg",
                "/lane",
                "/crossed_at",
                "/direction"
            ]
        );
        let ok = CrossingDraft {
            containers: vec!["csqu 305438-4".into()],
            ..ok_draft()
        };
        let (reading, findings) = read(&ok).unwrap();
        assert!(!reading.containers[0].check_digit_ok);
        assert_eq!(findings[0].pointer, "/containers/0");
        assert_eq!(findings[0].code, "check_digit_mismatch");
    }

    fn ok_draft() -> CrossingDraft {
        CrossingDraft {
            plate: Some("01A123BC".into()),
            gross_weight_kg: Some(DecimalText("1000".into())),
            lane: Some("1".into()),
            crossed_at: Some("2026-11-30T09:15:00+05:00".into()),
            direction: Some("exit".into()),
            ..CrossingDraft::default()
        }
    }
}
