//! What an inspection found, per goods item, and what follows from it: the corrections a
//! re-assessment applies (the same shape as the API's re-assessment corrections, built from
//! tamga-core's draft types), and whether the inspection counts as a hit for the profiles.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tamga_core::codes::{CommodityCode, CountryCode};
use tamga_core::model::{GoodsItem, Quantity};
use tamga_core::problem::Findings;
use tamga_core::{Declaration, FieldError};

use crate::text;

mod effects;

pub use effects::{
    is_hit, outcome_findings, reassessment, ItemCorrection, OutcomeFinding, Reassessment,
};

/// What was found on one goods item; the variants that change a declared value carry the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum FindingKind {
    AsDeclared,
    Misclassification {
        commodity_code: CommodityCode,
    },
    /// The item's price (invoice currency) that should have been declared.
    Undervaluation {
        price: Decimal,
    },
    Origin {
        origin: CountryCode,
    },
    /// Masses in kilograms and the supplementary quantity found; absent values were right.
    Quantity {
        #[serde(default)]
        net_mass: Option<Decimal>,
        #[serde(default)]
        gross_mass: Option<Decimal>,
        #[serde(default)]
        supplementary_quantity: Option<Quantity>,
    },
    ProhibitedOrRestricted,
    /// Intellectual property infringement: counterfeit or pirated goods.
    Counterfeit,
    Drugs,
    Weapons,
    Other,
}

impl FindingKind {
    pub fn name(&self) -> &'static str {
        match self {
            FindingKind::AsDeclared => "as_declared",
            FindingKind::Misclassification { .. } => "misclassification",
            FindingKind::Undervaluation { .. } => "undervaluation",
            FindingKind::Origin { .. } => "origin",
            FindingKind::Quantity { .. } => "quantity",
            FindingKind::ProhibitedOrRestricted => "prohibited_or_restricted",
            FindingKind::Counterfeit => "counterfeit",
            FindingKind::Drugs => "drugs",
            FindingKind::Weapons => "weapons",
            FindingKind::Other => "other",
        }
    }

    /// The finding type of the recorded inspection outcome (`tamga-risk`'s `FindingType`), or
    /// `None` for "as declared", which is no hit. Counterfeits, drugs and weapons are prohibited
    /// goods there, which has no finer types.
    pub fn outcome_type(&self) -> Option<&'static str> {
        Some(match self {
            FindingKind::AsDeclared => return None,
            FindingKind::Misclassification { .. } => "misclassification",
            FindingKind::Undervaluation { .. } => "undervaluation",
            FindingKind::Origin { .. } => "origin",
            FindingKind::Quantity { .. } => "quantity",
            FindingKind::ProhibitedOrRestricted
            | FindingKind::Counterfeit
            | FindingKind::Drugs
            | FindingKind::Weapons => "prohibited_goods",
            FindingKind::Other => "other",
        })
    }
}

/// A file kept in the data directory, referred to by name, digest and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    pub file_name: String,
    /// SHA-256 of the content, 64 lowercase hexadecimal digits.
    pub sha256: String,
    /// Bytes.
    pub size: u64,
}

/// One finding on one goods item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The goods item's sequence number.
    pub item: u16,
    #[serde(flatten)]
    pub kind: FindingKind,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

/// Limits of attachments; above `max_size` the API answers 413.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttachmentLimits {
    pub max_size: u64,
    pub max_count: usize,
}

impl Default for AttachmentLimits {
    fn default() -> Self {
        // Photographs of goods from a phone fit; scanner images are kept by reference instead.
        Self {
            max_size: 20 * 1024 * 1024,
            max_count: 20,
        }
    }
}

/// The error code of an attachment over the size limit (the API's 413).
pub const TOO_LARGE: &str = "attachment_too_large";

const NOTES_MAX: usize = 4000;

/// Checks findings against the declaration: every problem, each with a JSON pointer under
/// `/findings/{index}`.
pub fn validate(
    findings: &[Finding],
    declaration: &Declaration,
    limits: &AttachmentLimits,
) -> Vec<FieldError> {
    let mut out = Findings::default();
    for (i, finding) in findings.iter().enumerate() {
        let at = format!("/findings/{i}");
        match declaration
            .items
            .iter()
            .find(|it| it.sequence == finding.item)
        {
            Some(item) => check_kind(&mut out, &at, &finding.kind, item),
            None => out.push(
                format!("{at}/item"),
                "unknown_item",
                format!("the declaration has no goods item {}", finding.item),
            ),
        }
        text::optional(
            &mut out,
            &format!("{at}/notes"),
            finding.notes.as_deref(),
            NOTES_MAX,
        );
        check_attachments(&mut out, &at, &finding.attachments, limits);
    }
    check_contradictions(&mut out, findings);
    out.errors
}

fn check_kind(out: &mut Findings, at: &str, kind: &FindingKind, item: &GoodsItem) {
    match kind {
        FindingKind::Misclassification { commodity_code }
            if commodity_code == &item.commodity_code =>
        {
            out.push(
                format!("{at}/commodity_code"),
                "unchanged",
                "a misclassification needs a commodity code other than the declared one",
            );
        }
        FindingKind::Undervaluation { price } => {
            if *price <= Decimal::ZERO {
                out.push(
                    format!("{at}/price"),
                    "not_positive",
                    "the price found must be greater than zero",
                );
            } else if item.price == Some(*price) {
                out.push(
                    format!("{at}/price"),
                    "unchanged",
                    "an undervaluation needs a price other than the declared one",
                );
            }
        }
        FindingKind::Origin { origin } if item.origin.as_ref() == Some(origin) => {
            out.push(
                format!("{at}/origin"),
                "unchanged",
                "an origin finding needs an origin other than the declared one",
            );
        }
        FindingKind::Quantity {
            net_mass,
            gross_mass,
            supplementary_quantity,
        } => {
            check_quantity(
                out,
                at,
                (*net_mass, *gross_mass, supplementary_quantity.as_ref()),
                item,
            );
        }
        _ => {}
    }
}

fn check_quantity(
    out: &mut Findings,
    at: &str,
    found: (Option<Decimal>, Option<Decimal>, Option<&Quantity>),
    item: &GoodsItem,
) {
    let (net, gross, supplementary) = found;
    if net.is_none() && gross.is_none() && supplementary.is_none() {
        out.push(
            at.to_owned(),
            "missing",
            "a quantity finding needs a net mass, a gross mass or a supplementary quantity found",
        );
        return;
    }
    let values = [
        ("net_mass", net),
        ("gross_mass", gross),
        (
            "supplementary_quantity/quantity",
            supplementary.map(|q| q.quantity),
        ),
    ];
    for (field, value) in values {
        if value.is_some_and(|v| v <= Decimal::ZERO) {
            out.push(
                format!("{at}/{field}"),
                "not_positive",
                format!("the {field} found must be greater than zero"),
            );
        }
    }
    if net.unwrap_or(item.net_mass) > gross.unwrap_or(item.gross_mass) {
        out.push(
            format!("{at}/net_mass"),
            "net_above_gross",
            "the net mass cannot exceed the gross mass",
        );
    }
}

fn check_attachments(
    out: &mut Findings,
    at: &str,
    attachments: &[Attachment],
    limits: &AttachmentLimits,
) {
    if attachments.len() > limits.max_count {
        out.push(
            format!("{at}/attachments"),
            "too_many",
            format!("at most {} attachments per finding", limits.max_count),
        );
    }
    for (j, a) in attachments.iter().enumerate() {
        check_attachment(out, &format!("{at}/attachments/{j}"), a, limits);
    }
}

/// Checks a file name at `pointer`: one line of at most 255 characters, no path, no leading dot
/// (the name an upload is given, and the name in a reference).
pub fn check_file_name(out: &mut Findings, pointer: &str, name: &str) {
    text::single_line(out, pointer, name, 255);
    if name.contains(['/', '\\']) || name.starts_with('.') {
        out.push(
            pointer,
            "invalid_file_name",
            "a file name may not hold a path or start with a dot",
        );
    }
}

/// Checks one attachment reference at `at`.
pub fn check_attachment(out: &mut Findings, at: &str, a: &Attachment, limits: &AttachmentLimits) {
    check_file_name(out, &format!("{at}/file_name"), &a.file_name);
    if !text::is_sha256_hex(&a.sha256) {
        out.push(
            format!("{at}/sha256"),
            "invalid_digest",
            "sha256 must be 64 lowercase hexadecimal digits",
        );
    }
    if a.size == 0 {
        out.push(
            format!("{at}/size"),
            "empty_file",
            "an attachment cannot be empty",
        );
    } else if a.size > limits.max_size {
        out.push(
            format!("{at}/size"),
            TOO_LARGE,
            format!(
                "an attachment may hold at most {} bytes, got {}",
                limits.max_size, a.size
            ),
        );
    }
}

/// "As declared" beside another finding on the same item contradicts it.
fn check_contradictions(out: &mut Findings, findings: &[Finding]) {
    for (i, f) in findings.iter().enumerate() {
        let other = findings
            .iter()
            .any(|g| g.item == f.item && g.kind != FindingKind::AsDeclared);
        if f.kind == FindingKind::AsDeclared && other {
            out.push(
                format!("/findings/{i}/type"),
                "contradictory",
                format!("item {} cannot be as declared and have a finding", f.item),
            );
        }
    }
}
