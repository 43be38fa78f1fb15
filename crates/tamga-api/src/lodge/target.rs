//! The targeting step of the pipeline: the engine's decision from the snapshot, as the record
//! the store commits with the declaration. A red decision carries its claim on the office's
//! daily red capacity and the yellow record to store instead when the store refuses it.

use tamga_core::tariff::Assessment;
use tamga_core::Declaration;
use tamga_risk::facts::Subject;
use tamga_risk::Decision;
use tamga_store::risk::{CapacityClaim, RiskRecord};
use time::OffsetDateTime;

use crate::revenue::Revenue;
use crate::risk::{item_facts, office_day, Risk};

/// Risk-assesses a declaration being accepted at `at`.
pub(super) fn decide(
    risk: &Risk,
    revenue: &Revenue,
    declaration: &Declaration,
    assessment: Option<&Assessment>,
    at: OffsetDateTime,
) -> RiskRecord {
    let facts = item_facts(declaration, assessment, &revenue.valuation);
    let day = office_day(declaration.customs_office.as_str(), at);
    let subject = Subject {
        declaration,
        items: &facts,
    };
    let decision = risk.engine.decide(subject, day);
    // Every red is counted by the store; only a refusable claim needs its fallback.
    let claim = decision
        .claim
        .clone()
        .filter(|c| c.refusable())
        .map(|claim| CapacityClaim {
            limit: claim.limit,
            must: claim.must,
            if_reached: Box::new(record(
                decision.clone().capacity_reached(),
                &claim.office,
                day,
            )),
        });
    RiskRecord {
        claim,
        ..record(decision, declaration.customs_office.as_str(), day)
    }
}

fn record(decision: Decision, office: &str, day: time::Date) -> RiskRecord {
    RiskRecord {
        office: office.to_owned(),
        channel: decision.channel.as_str().to_owned(),
        score: decision.score,
        random: decision.random,
        day,
        document: serde_json::to_string(&decision.explanation).unwrap_or_default(),
        profiles: decision
            .explanation
            .profiles
            .iter()
            .map(|p| (p.id.clone(), p.version))
            .collect(),
        claim: None,
    }
}
