//! The movement's lifecycle after NCTS phase 5, as a pure state machine: which step may follow
//! which state, and who may take it. The store applies a step under a lock on the movement's
//! row and appends it to the movement's history; an illegal step is refused naming the state.
//!
//! ```text
//! mrn_allocated ─(control_decision)─> under_control
//! mrn_allocated | under_control ─(release)─> released
//! mrn_allocated | under_control ─(no_release)─> no_release
//! released ─(transit_passage, incident)─> released
//! released ─(enquiry, time limit passed)─> enquiry ─(recovery, after the period)─> recovery
//! released | enquiry ─(arrival)─> arrived ─(unloading_permission)─> unloading_permitted
//!   ─(unloading_remarks)─> unloading_remarks ─(goods_release)─> goods_released ─(write_off)─> ended
//! enquiry | recovery ─(arrival_evidence)─> arrival_evidenced ─(write_off)─> ended
//! enquiry ─(non_arrival)─> recovery
//! ```
//!
//! The last two are the replies to an enquiry, as NCTS takes them: the holder's (or the
//! destination administration's) evidence that the goods arrived ends the enquiry, or stops a
//! recovery, and lets the departure office write the movement off; a reply that the goods were
//! not presented at destination starts recovery at once, without waiting out the period.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};
use utoipa::ToSchema;

/// Defines a closed set of snake_case names.
macro_rules! names {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == raw)
            }
        }
    };
}

names!(
    /// Where a movement stands (`arrival_evidenced`: an enquiry's reply evidenced the goods'
    /// arrival, and the departure office may write the movement off).
    MovementState {
        MrnAllocated = "mrn_allocated",
        UnderControl = "under_control",
        NoRelease = "no_release",
        Released = "released",
        Enquiry = "enquiry",
        Recovery = "recovery",
        Arrived = "arrived",
        UnloadingPermitted = "unloading_permitted",
        UnloadingRemarks = "unloading_remarks",
        GoodsReleased = "goods_released",
        ArrivalEvidenced = "arrival_evidenced",
        Ended = "ended",
    }
);

names!(
    /// The steps of a movement, each an event of its history.
    StepKind {
        ControlDecision = "control_decision",
        Release = "release",
        NoRelease = "no_release",
        TransitPassage = "transit_passage",
        Incident = "incident",
        Arrival = "arrival",
        UnloadingPermission = "unloading_permission",
        UnloadingRemarks = "unloading_remarks",
        GoodsRelease = "goods_release",
        WriteOff = "write_off",
        Enquiry = "enquiry",
        Recovery = "recovery",
        ArrivalEvidence = "arrival_evidence",
        NonArrival = "non_arrival",
    }
);

impl MovementState {
    /// Whether the goods are on their way (released, not yet arrived): a movement overdue in
    /// this state calls for an enquiry.
    pub fn en_route(self) -> bool {
        self == MovementState::Released
    }

    /// Whether nothing can follow (a recovery can still be stopped by evidence of arrival).
    pub fn is_final(self) -> bool {
        matches!(self, MovementState::NoRelease | MovementState::Ended)
    }
}

/// A step refused in the current state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the movement is {}; {} is not possible now", state.as_str(), step.as_str())]
pub struct IllegalStep {
    pub state: MovementState,
    pub step: StepKind,
}

/// Which office's officers take a step, and whether the holder may take it too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Office {
    Departure,
    /// One of the declared offices of transit (the one the step names).
    Transit,
    Destination,
    /// Any office: an incident is reported to the nearest one.
    Any,
    /// tamga itself (the overdue sweep).
    System,
}

impl StepKind {
    /// The state after this step from `from`, or the refusal naming `from`.
    pub fn next(self, from: MovementState) -> Result<MovementState, IllegalStep> {
        use MovementState as S;
        let to = match (self, from) {
            (StepKind::ControlDecision, S::MrnAllocated) => S::UnderControl,
            (StepKind::Release, S::MrnAllocated | S::UnderControl) => S::Released,
            (StepKind::NoRelease, S::MrnAllocated | S::UnderControl) => S::NoRelease,
            (StepKind::TransitPassage | StepKind::Incident, S::Released) => S::Released,
            (StepKind::Incident, S::Enquiry) => S::Enquiry,
            (StepKind::Enquiry, S::Released) => S::Enquiry,
            (StepKind::Recovery, S::Enquiry) => S::Recovery,
            (StepKind::Arrival, S::Released | S::Enquiry) => S::Arrived,
            (StepKind::UnloadingPermission, S::Arrived) => S::UnloadingPermitted,
            (StepKind::UnloadingRemarks, S::UnloadingPermitted) => S::UnloadingRemarks,
            (StepKind::GoodsRelease, S::UnloadingRemarks) => S::GoodsReleased,
            (StepKind::WriteOff, S::GoodsReleased | S::ArrivalEvidenced) => S::Ended,
            (StepKind::ArrivalEvidence, S::Enquiry | S::Recovery) => S::ArrivalEvidenced,
            (StepKind::NonArrival, S::Enquiry) => S::Recovery,
            _ => {
                return Err(IllegalStep {
                    state: from,
                    step: self,
                })
            }
        };
        Ok(to)
    }

    /// The office whose officers take the step.
    pub fn office(self) -> Office {
        match self {
            StepKind::ControlDecision
            | StepKind::Release
            | StepKind::NoRelease
            | StepKind::WriteOff => Office::Departure,
            StepKind::TransitPassage => Office::Transit,
            StepKind::Incident => Office::Any,
            StepKind::Arrival
            | StepKind::UnloadingPermission
            | StepKind::UnloadingRemarks
            | StepKind::GoodsRelease
            | StepKind::ArrivalEvidence
            | StepKind::NonArrival => Office::Destination,
            StepKind::Enquiry | StepKind::Recovery => Office::System,
        }
    }

    /// Whether the holder of the movement (its declarant) may take the step, as NCTS traders
    /// send IE007 arrival notifications and IE044 unloading remarks, report incidents and
    /// answer an enquiry (IE141) with what they know of the goods' arrival.
    pub fn by_holder(self) -> bool {
        matches!(
            self,
            StepKind::Arrival
                | StepKind::UnloadingRemarks
                | StepKind::Incident
                | StepKind::ArrivalEvidence
                | StepKind::NonArrival
        )
    }

    /// Whether tamga's overdue sweep alone takes the step.
    pub fn by_system(self) -> bool {
        self.office() == Office::System
    }
}

/// What the overdue sweep does to a movement at `now`: open an enquiry when the time limit has
/// passed without arrival (the alert at the departure office), start recovery when an enquiry
/// has stood `recovery_after` without arrival.
pub fn due_step(
    state: MovementState,
    time_limit: Date,
    enquiry_opened: Option<OffsetDateTime>,
    now: OffsetDateTime,
    recovery_after: Duration,
) -> Option<StepKind> {
    match state {
        MovementState::Released if now.date() > time_limit => Some(StepKind::Enquiry),
        MovementState::Enquiry if enquiry_opened.is_some_and(|at| now - at >= recovery_after) => {
            Some(StepKind::Recovery)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn the_full_lifecycle_is_legal_in_order() {
        use StepKind::*;
        let mut state = MovementState::MrnAllocated;
        for step in [
            ControlDecision,
            Release,
            TransitPassage,
            Incident,
            Arrival,
            UnloadingPermission,
            UnloadingRemarks,
            GoodsRelease,
            WriteOff,
        ] {
            state = step.next(state).unwrap();
        }
        assert_eq!(state, MovementState::Ended);
        assert!(state.is_final());
    }

    #[test]
    fn an_illegal_step_names_the_state() {
        let e = StepKind::GoodsRelease
            .next(MovementState::Released)
            .unwrap_err();
        assert_eq!(e.state, MovementState::Released);
        assert_eq!(
            e.to_string(),
            "the movement is released; goods_release is not possible now"
        );
        assert!(StepKind::Release.next(MovementState::NoRelease).is_err());
        assert!(StepKind::Release.next(MovementState::Released).is_err());
    }

    #[test]
    fn an_enquiry_reply_ends_the_enquiry_or_starts_recovery() {
        use MovementState as S;
        let evidence = StepKind::ArrivalEvidence;
        assert_eq!(evidence.next(S::Enquiry), Ok(S::ArrivalEvidenced));
        assert_eq!(evidence.next(S::Recovery), Ok(S::ArrivalEvidenced));
        assert_eq!(StepKind::WriteOff.next(S::ArrivalEvidenced), Ok(S::Ended));
        assert_eq!(StepKind::NonArrival.next(S::Enquiry), Ok(S::Recovery));
        let refused = StepKind::NonArrival.next(S::Recovery).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "the movement is recovery; non_arrival is not possible now"
        );
        assert!(evidence.next(S::Released).is_err());
        assert!(evidence.next(S::Ended).is_err());
        assert!(StepKind::Recovery.next(S::ArrivalEvidenced).is_err());
        assert!(evidence.by_holder() && StepKind::NonArrival.by_holder());
        assert_eq!(
            due_step(
                S::ArrivalEvidenced,
                time::macros::date!(2026 - 01 - 01),
                None,
                time::macros::datetime!(2027-01-01 0:00 UTC),
                Duration::days(1)
            ),
            None
        );
    }

    #[test]
    fn overdue_movements_go_to_enquiry_then_recovery() {
        let limit = date!(2026 - 12 - 01);
        let month = Duration::days(30);
        let on_the_day = datetime!(2026-12-01 23:00 UTC);
        let after = datetime!(2026-12-02 00:00 UTC);
        let released = MovementState::Released;
        assert_eq!(due_step(released, limit, None, on_the_day, month), None);
        assert_eq!(
            due_step(released, limit, None, after, month),
            Some(StepKind::Enquiry)
        );
        let enquiry = MovementState::Enquiry;
        assert_eq!(due_step(enquiry, limit, Some(after), after, month), None);
        let later = after + month;
        assert_eq!(
            due_step(enquiry, limit, Some(after), later, month),
            Some(StepKind::Recovery)
        );
        assert_eq!(
            due_step(MovementState::Arrived, limit, None, later, month),
            None
        );
    }

    #[test]
    fn names_round_trip() {
        for s in MovementState::ALL {
            assert_eq!(MovementState::parse(s.as_str()), Some(*s));
        }
        for s in StepKind::ALL {
            assert_eq!(StepKind::parse(s.as_str()), Some(*s));
        }
    }
}
