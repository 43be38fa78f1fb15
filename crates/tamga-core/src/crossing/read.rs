//! A crossing as the gate equipment sends it, loosely typed so that one pass names every
//! problem, and its validation into a [`Reading`].

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::{ident, ContainerRead, Direction, Finding, Reading, SealRead, SealState};
use super::{MAX_CONTAINERS, MAX_IMAGES, MAX_SEALS};
use crate::codes::ContainerNumber;
use crate::draft::DecimalText;
use crate::FieldError;

/// A crossing reported by a post's gate equipment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CrossingDraft {
    /// The vehicle's plate as the camera read it (letters, digits, spaces, dashes, dots).
    #[schema(example = "01 A 123 BC")]
    pub plate: Option<String>,
    /// Container numbers as OCR read them (ISO 6346; a wrong check digit is kept and noted).
    #[serde(default)]
    #[schema(example = json!(["CSQU3054383"]))]
    pub containers: Vec<String>,
    /// The weighbridge's gross weight of vehicle and load in kg, a decimal string.
    #[schema(example = "32400")]
    pub gross_weight_kg: Option<DecimalText>,
    /// The vehicle's unladen weight in kg, when known: the load is gross less tare.
    #[schema(example = "14000")]
    pub tare_weight_kg: Option<DecimalText>,
    /// The lane the vehicle used.
    #[schema(example = "3")]
    pub lane: Option<String>,
    /// RFC 3339: when the vehicle crossed.
    #[schema(example = "2026-11-30T09:15:00Z")]
    pub crossed_at: Option<String>,
    /// entry or exit.
    #[schema(example = "entry")]
    pub direction: Option<String>,
    /// SHA-256 digests of uploaded attachments, or the equipment's opaque image references.
    #[serde(default)]
    pub images: Vec<String>,
    /// Seals read on the vehicle and its containers.
    #[serde(default)]
    pub seals: Vec<SealReadDraft>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SealReadDraft {
    /// The seal's identifier as read.
    #[schema(example = "UZ-0012345")]
    pub identifier: Option<String>,
    /// intact or broken.
    #[schema(example = "intact")]
    pub state: Option<String>,
}

/// The reading and its findings, or every problem with the request. Weights above this are no
/// road vehicle's.
const MAX_WEIGHT_KG: i64 = 200_000;

pub fn read(d: &CrossingDraft) -> Result<(Reading, Vec<Finding>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut findings = Vec::new();
    let plate = plate(d.plate.as_deref(), &mut errors);
    let containers = containers(&d.containers, &mut errors, &mut findings);
    let gross = weight(
        "/gross_weight_kg",
        d.gross_weight_kg.as_ref(),
        true,
        &mut errors,
    );
    let tare = weight(
        "/tare_weight_kg",
        d.tare_weight_kg.as_ref(),
        false,
        &mut errors,
    );
    if let (Some(g), Some(t)) = (gross, tare) {
        if t > g {
            errors.push(FieldError::new(
                "/tare_weight_kg",
                "out_of_range",
                "the tare weight exceeds the gross weight",
            ));
        }
    }
    let lane = text("/lane", d.lane.as_deref(), 16, &mut errors);
    let crossed_at = crossed_at(d.crossed_at.as_deref(), &mut errors);
    let direction = direction(d.direction.as_deref(), &mut errors);
    let images = images(&d.images, &mut errors);
    let seals = seals(&d.seals, &mut errors);
    match (plate, gross, lane, crossed_at, direction) {
        (Some(plate), Some(gross_weight_kg), Some(lane), Some(crossed_at), Some(direction))
            if errors.is_empty() =>
        {
            let reading = Reading {
                plate,
                containers,
                gross_weight_kg,
                tare_weight_kg: tare,
                lane,
                crossed_at,
                direction,
                images,
                seals,
            };
            Ok((reading, findings))
        }
        _ => Err(errors),
    }
}

fn missing(pointer: &str) -> FieldError {
    FieldError::new(pointer, "missing", format!("{pointer} is required"))
}

fn plate(raw: Option<&str>, errors: &mut Vec<FieldError>) -> Option<String> {
    let Some(raw) = raw else {
        errors.push(missing("/plate"));
        return None;
    };
    let ok_chars = raw
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '.'));
    let plate = ident(raw);
    if !ok_chars || plate.is_empty() || plate.chars().count() > 16 {
        errors.push(FieldError::new(
            "/plate",
            "invalid_format",
            "a plate has 1 to 16 letters and digits (spaces, dashes and dots are ignored)",
        ));
        return None;
    }
    Some(plate)
}

fn containers(
    raw: &[String],
    errors: &mut Vec<FieldError>,
    findings: &mut Vec<Finding>,
) -> Vec<ContainerRead> {
    if raw.len() > MAX_CONTAINERS {
        errors.push(FieldError::new(
            "/containers",
            "too_many",
            format!("at most {MAX_CONTAINERS} containers per crossing"),
        ));
    }
    let mut out = Vec::new();
    for (i, number) in raw.iter().enumerate() {
        let pointer = format!("/containers/{i}");
        let number = ident(number);
        match ContainerNumber::parse(&number) {
            Ok(_) => out.push(ContainerRead {
                number,
                check_digit_ok: true,
            }),
            Err(e) if e.code == "check_digit_mismatch" => {
                findings.push(Finding {
                    pointer,
                    code: e.code.to_owned(),
                    message: format!("{number}: {} (an OCR misread?)", e.message),
                });
                out.push(ContainerRead {
                    number,
                    check_digit_ok: false,
                });
            }
            Err(e) => errors.push(FieldError::new(pointer, e.code, e.message)),
        }
    }
    out
}

fn weight(
    pointer: &str,
    raw: Option<&DecimalText>,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> Option<Decimal> {
    let Some(raw) = raw else {
        if required {
            errors.push(missing(pointer));
        }
        return None;
    };
    let Ok(value) = Decimal::from_str(raw.0.trim()) else {
        errors.push(FieldError::new(
            pointer,
            "invalid_number",
            format!("{:?} is not a decimal number of kilograms", raw.0),
        ));
        return None;
    };
    if value <= Decimal::ZERO || value > Decimal::from(MAX_WEIGHT_KG) {
        errors.push(FieldError::new(
            pointer,
            "out_of_range",
            format!("a weight is more than 0 and at most {MAX_WEIGHT_KG} kg"),
        ));
        return None;
    }
    Some(value)
}

fn text(pointer: &str, raw: Option<&str>, max: usize, e: &mut Vec<FieldError>) -> Option<String> {
    let Some(raw) = raw else {
        e.push(missing(pointer));
        return None;
    };
    let value = raw.trim();
    if value.is_empty() || value.chars().count() > max {
        e.push(FieldError::new(
            pointer,
            "invalid_length",
            format!("{pointer} has 1 to {max} characters"),
        ));
        return None;
    }
    Some(value.to_owned())
}

fn crossed_at(raw: Option<&str>, errors: &mut Vec<FieldError>) -> Option<OffsetDateTime> {
    let Some(raw) = raw else {
        errors.push(missing("/crossed_at"));
        return None;
    };
    match OffsetDateTime::parse(raw, &Rfc3339) {
        Ok(at) => Some(at),
        Err(_) => {
            errors.push(FieldError::new(
                "/crossed_at",
                "invalid_time",
                format!("{raw:?} is not an RFC 3339 time such as 2026-11-30T09:15:00Z"),
            ));
            None
        }
    }
}

fn direction(raw: Option<&str>, errors: &mut Vec<FieldError>) -> Option<Direction> {
    let Some(raw) = raw else {
        errors.push(missing("/direction"));
        return None;
    };
    let parsed = Direction::parse(raw);
    if parsed.is_none() {
        errors.push(FieldError::new(
            "/direction",
            "invalid_code",
            format!("{raw:?} is not a direction: entry or exit"),
        ));
    }
    parsed
}

fn images(raw: &[String], errors: &mut Vec<FieldError>) -> Vec<String> {
    if raw.len() > MAX_IMAGES {
        errors.push(FieldError::new(
            "/images",
            "too_many",
            format!("at most {MAX_IMAGES} image references per crossing"),
        ));
    }
    let mut out = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        let fits = !r.is_empty() && r.len() <= 128 && r.bytes().all(|b| b.is_ascii_graphic());
        if fits {
            out.push(r.clone());
        } else {
            errors.push(FieldError::new(
                format!("/images/{i}"),
                "invalid_format",
                "an image reference is 1 to 128 printable ASCII characters (e.g. a SHA-256 digest)",
            ));
        }
    }
    out
}

fn seals(raw: &[SealReadDraft], errors: &mut Vec<FieldError>) -> Vec<SealRead> {
    if raw.len() > MAX_SEALS {
        errors.push(FieldError::new(
            "/seals",
            "too_many",
            format!("at most {MAX_SEALS} seals per crossing"),
        ));
    }
    let mut out = Vec::new();
    for (i, s) in raw.iter().enumerate() {
        let identifier = text(
            &format!("/seals/{i}/identifier"),
            s.identifier.as_deref(),
            20,
            errors,
        );
        let state = match s.state.as_deref() {
            Some("intact") => Some(SealState::Intact),
            Some("broken") => Some(SealState::Broken),
            Some(other) => {
                errors.push(FieldError::new(
                    format!("/seals/{i}/state"),
                    "invalid_code",
                    format!("{other:?} is not a seal state: intact or broken"),
                ));
                None
            }
            None => {
                errors.push(missing(&format!("/seals/{i}/state")));
                None
            }
        };
        if let (Some(identifier), Some(state)) = (identifier, state) {
            out.push(SealRead { identifier, state });
        }
    }
    out
}
