//! Cargo reports (manifests): what a carrier declares before the goods arrive, the input of
//! pre-arrival targeting. A report names the conveyance and its arrival, and lists
//! consignments with their transport documents, parties, containers and goods.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::codes::ContainerNumber;
use crate::problem::{FieldError, Findings};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CargoReport {
    /// The carrier's reference of the report.
    pub reference: String,
    /// The carrier (sender of the report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conveyance: Option<Conveyance>,
    /// UN/LOCODE or other code of the place of arrival.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival_place: Option<String>,
    /// Expected arrival, YYYY-MM-DD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_arrival: Option<String>,
    pub consignments: Vec<Consignment>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Conveyance {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identification: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Consignment {
    pub sequence: u32,
    /// Bill of lading, air waybill or CMR number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport_document: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consignor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consignee: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub containers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goods: Vec<CargoGoods>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CargoGoods {
    pub sequence: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commodity_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packages: Option<u32>,
    /// Gross mass in kilograms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gross_mass: Option<Decimal>,
}

/// Checks a report: a reference, at least one consignment, container numbers with their
/// ISO 6346 check digit, commodity codes of 4 to 10 digits. Every problem is reported.
pub fn check(report: &CargoReport) -> Result<(), Vec<FieldError>> {
    let mut findings = Findings::default();
    if report.reference.trim().is_empty() || report.reference.chars().count() > 35 {
        findings.push(
            "/reference",
            "invalid_text",
            "a report reference of 1 to 35 characters is required",
        );
    }
    if report.consignments.is_empty() {
        findings.push(
            "/consignments",
            "missing",
            "a cargo report lists at least one consignment",
        );
    }
    for (c, consignment) in report.consignments.iter().enumerate() {
        for (i, container) in consignment.containers.iter().enumerate() {
            if let Err(e) = ContainerNumber::parse(container) {
                findings.push(
                    format!("/consignments/{c}/containers/{i}"),
                    e.code,
                    e.message,
                );
            }
        }
        for (g, goods) in consignment.goods.iter().enumerate() {
            let code = goods.commodity_code.as_deref().unwrap_or("0000");
            if !(4..=10).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
                findings.push(
                    format!("/consignments/{c}/goods/{g}/commodity_code"),
                    "invalid_format",
                    "a commodity code is 4 to 10 digits",
                );
            }
        }
    }
    if findings.is_empty() {
        Ok(())
    } else {
        Err(findings.errors)
    }
}
