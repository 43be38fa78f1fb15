//! What findings change: the corrections of a re-assessment, and the inspection outcome that
//! feeds hit rates and training labels.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tamga_core::draft::{DecimalText, QuantityDraft};

use super::{Finding, FindingKind};

/// New values for one goods item: the JSON shape of the re-assessment endpoint's corrections
/// (`POST /declarations/{mrn}/reassessment`), so these can be sent or stored as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemCorrection {
    pub sequence: i64,
    pub commodity_code: Option<String>,
    pub origin: Option<String>,
    pub price: Option<DecimalText>,
    pub net_mass: Option<DecimalText>,
    pub gross_mass: Option<DecimalText>,
    pub supplementary_quantity: Option<QuantityDraft>,
}

/// What the findings change in the assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reassessment {
    /// One correction per item whose code, value, origin or quantity changed, in item order.
    pub corrections: Vec<ItemCorrection>,
    /// The reason recorded with the new assessment version.
    pub reason: String,
}

/// The re-assessment the findings call for, or `None` when no finding changes a value that
/// duties depend on (as declared, prohibited goods, drugs... change no duty by themselves).
pub fn reassessment(findings: &[Finding]) -> Option<Reassessment> {
    let mut by_item: std::collections::BTreeMap<u16, ItemCorrection> = Default::default();
    let mut reasons = Vec::new();
    for f in findings {
        let before = by_item.get(&f.item).cloned();
        let c = by_item.entry(f.item).or_insert_with(|| ItemCorrection {
            sequence: i64::from(f.item),
            ..Default::default()
        });
        if apply(c, &f.kind) {
            reasons.push(format!("{} of item {}", f.kind.name(), f.item));
        } else if before.is_none() {
            by_item.remove(&f.item);
        }
    }
    if by_item.is_empty() {
        return None;
    }
    Some(Reassessment {
        corrections: by_item.into_values().collect(),
        reason: format!("control findings: {}", reasons.join(", ")),
    })
}

/// Writes the finding's new values into the correction; false when it has none.
fn apply(c: &mut ItemCorrection, kind: &FindingKind) -> bool {
    let text = |d: Decimal| DecimalText(d.normalize().to_string());
    match kind {
        FindingKind::Misclassification { commodity_code } => {
            c.commodity_code = Some(commodity_code.to_string())
        }
        FindingKind::Undervaluation { price } => c.price = Some(text(*price)),
        FindingKind::Origin { origin } => c.origin = Some(origin.to_string()),
        FindingKind::Quantity {
            net_mass,
            gross_mass,
            supplementary_quantity,
        } => {
            c.net_mass = net_mass.map(text).or(c.net_mass.take());
            c.gross_mass = gross_mass.map(text).or(c.gross_mass.take());
            if let Some(q) = supplementary_quantity {
                c.supplementary_quantity = Some(QuantityDraft {
                    quantity: Some(text(q.quantity)),
                    unit: q.unit.as_ref().map(ToString::to_string),
                });
            }
        }
        _ => return false,
    }
    true
}

/// One finding as the recorded inspection outcome holds it (`tamga-risk`'s `Finding` shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeFinding {
    #[serde(rename = "type")]
    pub finding_type: String,
    pub note: Option<String>,
}

/// The findings for the inspection outcome that feeds hit rates and training labels; empty when
/// everything was as declared, which is what "no hit" means there.
pub fn outcome_findings(findings: &[Finding]) -> Vec<OutcomeFinding> {
    findings
        .iter()
        .filter_map(|f| {
            let finding_type = f.kind.outcome_type()?.to_owned();
            let note = Some(format!("item {}: {}", f.item, f.kind.name()));
            Some(OutcomeFinding {
                finding_type,
                note: f.notes.clone().or(note),
            })
        })
        .collect()
}

/// Does the control count as a hit for the profiles that selected the declaration?
pub fn is_hit(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.kind.outcome_type().is_some())
}
