//! Who may take a step of a movement, and at which office: officers of the office concerned,
//! the holder for what NCTS traders send (arrival notification, unloading remarks, incidents),
//! a partner administration for steps at its own offices, and tamga itself for the overdue
//! sweep.

use super::lifecycle::{Office, StepKind};
use super::TransitParticulars;
use crate::codes::Locode;

/// Who asks for a step.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    /// A customs officer of these offices.
    Officer(&'a [Locode]),
    /// The movement's holder (its declarant).
    Holder,
    /// A partner administration (by ISO country), reporting a step at one of its offices.
    Administration(&'a str),
    /// tamga's overdue sweep.
    System,
}

/// Why a step is refused to this actor (an HTTP 403), or a step that names a wrong office (422).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    WrongOffice(String),
}

/// The office at which `actor` takes `step` on the movement `p` (`None` for a holder's
/// incident reported without an office), given the office the request names and the offices
/// of transit already passed.
pub fn office_of_step(
    step: StepKind,
    actor: Actor<'_>,
    p: &TransitParticulars,
    named: Option<&Locode>,
    passed: &[Locode],
) -> Result<Option<Locode>, Refusal> {
    if step.by_system() || matches!(actor, Actor::System) {
        return match (step.by_system(), actor) {
            (true, Actor::System) => Ok(Some(p.office_of_departure.clone())),
            _ => Err(forbidden(
                step,
                "only tamga's overdue sweep takes this step",
            )),
        };
    }
    let office = match step.office() {
        Office::Departure => p.office_of_departure.clone(),
        Office::Destination => p.office_of_destination.clone(),
        Office::Transit => transit_office(p, named, passed)?,
        Office::Any | Office::System => match named {
            Some(office) => office.clone(),
            None if matches!(actor, Actor::Holder) => return Ok(None),
            None => return Err(wrong("name the office at which the incident is recorded")),
        },
    };
    let allowed = match actor {
        Actor::Officer(mine) => mine.contains(&office),
        Actor::Holder => step.by_holder(),
        Actor::Administration(country) => office.country() == country,
        Actor::System => false,
    };
    if allowed {
        Ok(Some(office))
    } else {
        let who = match actor {
            Actor::Holder => "the holder of the movement may not".to_owned(),
            _ => format!("only officers of {office} may"),
        };
        Err(forbidden(step, &format!("{who} take this step")))
    }
}

fn transit_office(
    p: &TransitParticulars,
    named: Option<&Locode>,
    passed: &[Locode],
) -> Result<Locode, Refusal> {
    let Some(office) = named else {
        return Err(wrong("name the office of transit the goods pass"));
    };
    if !p.offices_of_transit.contains(office) {
        return Err(wrong(&format!(
            "{office} is not an office of transit of this movement"
        )));
    }
    if passed.contains(office) {
        return Err(wrong(&format!("the goods have already passed {office}")));
    }
    Ok(office.clone())
}

fn forbidden(step: StepKind, why: &str) -> Refusal {
    Refusal::Forbidden(format!("{}: {why}", step.as_str()))
}

fn wrong(why: &str) -> Refusal {
    Refusal::WrongOffice(why.to_owned())
}
