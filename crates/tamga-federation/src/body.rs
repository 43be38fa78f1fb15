//! The message types and their bodies. A body is read strictly: an unknown field, a missing
//! one or a value of the wrong shape is a refusal naming its JSON pointer.

use serde::{Deserialize, Serialize};
use tamga_core::codes::ContainerNumber;
use tamga_core::FieldError;
use time::Date;
use utoipa::ToSchema;

/// The type of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Departure → destination and transit offices' administrations, on release for transit.
    AnticipatedArrival,
    /// Destination or transit office → departure: the goods arrived.
    ArrivalAdvice,
    /// Destination → departure: the unloading's outcome.
    ControlResults,
    /// Departure → destination: the time limit passed without news.
    Enquiry,
    /// Destination → departure: the answer to an enquiry.
    EnquiryReply,
    /// A high-risk consignment alert from one targeting center to another.
    Alert,
    /// The receiving analysts' feedback on an alert, back to its sender.
    AlertFeedback,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::AnticipatedArrival,
        Kind::ArrivalAdvice,
        Kind::ControlResults,
        Kind::Enquiry,
        Kind::EnquiryReply,
        Kind::Alert,
        Kind::AlertFeedback,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::AnticipatedArrival => "anticipated_arrival",
            Kind::ArrivalAdvice => "arrival_advice",
            Kind::ControlResults => "control_results",
            Kind::Enquiry => "enquiry",
            Kind::EnquiryReply => "enquiry_reply",
            Kind::Alert => "alert",
            Kind::AlertFeedback => "alert_feedback",
        }
    }

    pub fn parse(raw: &str) -> Option<Kind> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// A high-risk consignment alert (after WCO CENcomm and the Container Control Programme's
/// ContainerComm): what to look for and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Alert {
    /// ISO 6346 container numbers, with their check digit.
    pub containers: Vec<String>,
    pub consignor: String,
    pub consignee: String,
    /// The goods as declared or suspected, in words.
    pub commodity: String,
    /// The HS code, when known (6 to 10 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commodity_code: Option<String>,
    /// Places in order (UN/LOCODEs or country codes), from loading to destination.
    pub route: Vec<String>,
    /// Why the consignment is of high risk.
    pub reason: String,
}

/// What the receiving analysts found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackOutcome {
    Seized,
    IrregularityFound,
    NoIrregularity,
    NotExamined,
    NotArrived,
}

/// Feedback on an alert; its message's conversation is the alert's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertFeedback {
    pub outcome: FeedbackOutcome,
    pub remarks: String,
}

/// Anticipated arrival: the movement as released for transit at departure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnticipatedArrival {
    pub mrn: String,
    pub office_of_departure: String,
    pub office_of_destination: String,
    pub offices_of_transit: Vec<String>,
    #[serde(with = "tamga_core::dates::iso")]
    #[schema(value_type = String, format = Date)]
    pub limit_date: Date,
    pub containers: Vec<String>,
    pub seals: Vec<String>,
}

/// Arrival advice from an office of transit or of destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArrivalAdvice {
    pub mrn: String,
    pub office: String,
    /// RFC 3339.
    pub arrived_at: String,
}

/// The control results at destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ControlResults {
    pub mrn: String,
    pub office: String,
    pub conform: bool,
    pub seals_intact: bool,
    #[serde(default)]
    pub remarks: String,
}

/// An enquiry about a movement, or the reply to one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Enquiry {
    pub mrn: String,
    pub text: String,
    /// A reply's finding, which the departure node takes as a step of the movement; left out
    /// (an enquiry, or a reply with information only), the state stays as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<ReplyOutcome>,
}

/// What a reply to an enquiry found at destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReplyOutcome {
    /// The goods were presented: evidence of arrival, the movement may be written off.
    Arrived,
    /// The goods were not presented: recovery starts.
    NotArrived,
}

/// A body read for its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    AnticipatedArrival(AnticipatedArrival),
    ArrivalAdvice(ArrivalAdvice),
    ControlResults(ControlResults),
    Enquiry(Enquiry),
    EnquiryReply(Enquiry),
    Alert(Alert),
    AlertFeedback(AlertFeedback),
}

impl Body {
    /// Reads `text` as a body of `kind`; a problem names its pointer under `/body`.
    pub fn parse(kind: Kind, text: &str) -> Result<Body, FieldError> {
        Ok(match kind {
            Kind::AnticipatedArrival => Body::AnticipatedArrival(read(text)?),
            Kind::ArrivalAdvice => Body::ArrivalAdvice(read(text)?),
            Kind::ControlResults => Body::ControlResults(read(text)?),
            Kind::Enquiry => Body::Enquiry(read(text)?),
            Kind::EnquiryReply => Body::EnquiryReply(read(text)?),
            Kind::Alert => Body::Alert(read(text)?),
            Kind::AlertFeedback => Body::AlertFeedback(read(text)?),
        })
    }

    /// The conversation a body belongs to, when the body names it (a movement's MRN).
    pub fn movement(&self) -> Option<&str> {
        match self {
            Body::AnticipatedArrival(b) => Some(&b.mrn),
            Body::ArrivalAdvice(b) => Some(&b.mrn),
            Body::ControlResults(b) => Some(&b.mrn),
            Body::Enquiry(b) | Body::EnquiryReply(b) => Some(&b.mrn),
            Body::Alert(_) | Body::AlertFeedback(_) => None,
        }
    }
}

fn read<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, FieldError> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let pointer = if path == "." {
            "/body".to_owned()
        } else {
            format!("/body/{}", path.replace('.', "/"))
        };
        let code = if e.inner().to_string().starts_with("unknown field") {
            "unknown_field"
        } else {
            "invalid_body"
        };
        FieldError::new(pointer, code, e.inner().to_string())
    })
}

impl Alert {
    /// Every problem of an alert an analyst wrote, by pointer under `prefix`.
    pub fn problems(&self, prefix: &str) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.containers.is_empty() {
            errors.push(FieldError::new(
                format!("{prefix}/containers"),
                "required",
                "name at least one container",
            ));
        }
        for (i, c) in self.containers.iter().enumerate() {
            if let Err(e) = ContainerNumber::parse(c) {
                let pointer = format!("{prefix}/containers/{i}");
                errors.push(FieldError::new(pointer, e.code, e.message));
            }
        }
        for (name, value) in [
            ("consignor", &self.consignor),
            ("consignee", &self.consignee),
            ("commodity", &self.commodity),
            ("reason", &self.reason),
        ] {
            text_problem(&mut errors, &format!("{prefix}/{name}"), value, 512);
        }
        if let Some(code) = &self.commodity_code {
            let digits = code.len() >= 6 && code.len() <= 10;
            if !digits || !code.bytes().all(|b| b.is_ascii_digit()) {
                let pointer = format!("{prefix}/commodity_code");
                errors.push(FieldError::new(pointer, "invalid", "6 to 10 digits"));
            }
        }
        if self.route.len() < 2 {
            let pointer = format!("{prefix}/route");
            errors.push(FieldError::new(pointer, "required", "at least two places"));
        }
        for (i, place) in self.route.iter().enumerate() {
            text_problem(&mut errors, &format!("{prefix}/route/{i}"), place, 35);
        }
        errors
    }
}

impl AlertFeedback {
    pub fn problems(&self, prefix: &str) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.remarks.chars().count() > 2000 {
            let pointer = format!("{prefix}/remarks");
            errors.push(FieldError::new(
                pointer,
                "too_long",
                "at most 2000 characters",
            ));
        }
        errors
    }
}

fn text_problem(errors: &mut Vec<FieldError>, pointer: &str, value: &str, max: usize) {
    if value.trim().is_empty() {
        errors.push(FieldError::new(pointer, "required", "must not be blank"));
    } else if value.chars().count() > max {
        let message = format!("at most {max} characters");
        errors.push(FieldError::new(pointer, "too_long", message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_body_field_is_named() {
        let text = r#"{"outcome":"seized","remarks":"","extra":1}"#;
        let err = Body::parse(Kind::AlertFeedback, text).unwrap_err();
        assert_eq!(err.code, "unknown_field");
        assert_eq!(err.pointer, "/body/extra");
    }

    #[test]
    fn kinds_round_trip_their_names() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
    }

    #[test]
    fn an_alert_names_every_problem() {
        let alert = Alert {
            containers: vec!["CSQU3054383".into(), "CSQU3054384".into()],
            consignor: " ".into(),
            consignee: "B".into(),
            commodity: "tobacco".into(),
            commodity_code: Some("24x".into()),
            route: vec!["UZTAS".into()],
            reason: "tip".into(),
        };
        let pointers: Vec<_> = alert.problems("").into_iter().map(|e| e.pointer).collect();
        assert_eq!(
            pointers,
            ["/containers/1", "/consignor", "/commodity_code", "/route"]
        );
    }
}
