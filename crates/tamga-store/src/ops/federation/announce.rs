//! Transit movements announced to the other administrations on their route.

use super::insert;
use crate::conn::Conn;
use crate::federation::Outgoing;
use crate::Result;

/// Queues, in the commit of a movement's release, the anticipated arrival for each other
/// administration whose offices the movement names (its offices of transit, then its office
/// of destination); in the commit of an enquiry, the enquiry for the destination's. The step's
/// own audit entry records the change; the message id is derived from the MRN, the type and
/// the recipient, so a movement announces itself once to each.
pub(crate) async fn announce(
    conn: &mut Conn<'_>,
    mrn: &str,
    p: &tamga_core::transit::TransitParticulars,
    step: tamga_core::transit::lifecycle::StepKind,
) -> Result<()> {
    use tamga_core::transit::lifecycle::StepKind;
    let home = p.office_of_departure.country();
    let (kind, offices, body) = match step {
        StepKind::Release => {
            let offices: Vec<_> = p
                .offices_of_transit
                .iter()
                .chain([&p.office_of_destination])
                .collect();
            (ANTICIPATED_ARRIVAL, offices, anticipated_arrival(mrn, p))
        }
        StepKind::Enquiry => {
            let text = format!("the time limit {} passed without arrival", p.time_limit);
            let body = serde_json::json!({ "mrn": mrn, "text": text });
            ("enquiry", vec![&p.office_of_destination], body)
        }
        _ => return Ok(()),
    };
    let mut countries: Vec<&str> = Vec::new();
    for office in offices {
        let country = office.country();
        if country != home && !countries.contains(&country) {
            countries.push(country);
        }
    }
    for country in countries {
        let out = Outgoing {
            id: format!("{home}-{mrn}-{kind}-{country}"),
            recipient: country.to_owned(),
            kind: kind.to_owned(),
            conversation: mrn.to_owned(),
            body: body.to_string(),
        };
        // Queued now, whatever time the step carries (a sweep may run on a shifted clock).
        insert(conn, &out, "transit", crate::sql::now()).await?;
    }
    Ok(())
}

const ANTICIPATED_ARRIVAL: &str = "anticipated_arrival";

fn anticipated_arrival(
    mrn: &str,
    p: &tamga_core::transit::TransitParticulars,
) -> serde_json::Value {
    let containers: Vec<&str> = p
        .equipment
        .iter()
        .filter_map(|e| e.container.as_ref())
        .map(|c| c.as_str())
        .collect();
    let seals: Vec<&str> = p
        .equipment
        .iter()
        .flat_map(|e| &e.seals)
        .map(|s| s.identifier.as_str())
        .collect();
    let transit: Vec<&str> = p.offices_of_transit.iter().map(|o| o.as_str()).collect();
    serde_json::json!({
        "mrn": mrn,
        "office_of_departure": p.office_of_departure.as_str(),
        "office_of_destination": p.office_of_destination.as_str(),
        "offices_of_transit": transit,
        "limit_date": tamga_core::dates::format_date(p.time_limit),
        "containers": containers,
        "seals": seals,
    })
}
