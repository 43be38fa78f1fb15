//! The life of a declaration, as a state machine.
//!
//! ```text
//! lodged -> accepted -> risk-assessed -> under-control -> released
//!    \          \            \                \
//!     `-> rejected  `-> released / rejected / invalidated (before release)
//! ```
//! `released`, `rejected` and `invalidated` are final.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::role::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Lodged,
    Accepted,
    RiskAssessed,
    UnderControl,
    Released,
    Rejected,
    Invalidated,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Lodged,
        Status::Accepted,
        Status::RiskAssessed,
        Status::UnderControl,
        Status::Released,
        Status::Rejected,
        Status::Invalidated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Lodged => "lodged",
            Status::Accepted => "accepted",
            Status::RiskAssessed => "risk-assessed",
            Status::UnderControl => "under-control",
            Status::Released => "released",
            Status::Rejected => "rejected",
            Status::Invalidated => "invalidated",
        }
    }

    pub fn parse(raw: &str) -> Option<Status> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            Status::Released | Status::Rejected | Status::Invalidated
        )
    }

    /// Is `self -> to` a step of the lifecycle?
    pub fn can_become(self, to: Status) -> bool {
        use Status::*;
        match self {
            Lodged => matches!(to, Accepted | Rejected),
            Accepted => matches!(
                to,
                RiskAssessed | UnderControl | Released | Rejected | Invalidated
            ),
            RiskAssessed => matches!(to, UnderControl | Released | Rejected | Invalidated),
            UnderControl => matches!(to, Released | Rejected | Invalidated),
            Released | Rejected | Invalidated => false,
        }
    }
}

/// Why a requested status change is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a declaration that is {from} cannot become {to}")]
    NotAllowed {
        from: &'static str,
        to: &'static str,
    },
    #[error("the role {role} may not make a declaration {to}")]
    Forbidden {
        role: &'static str,
        to: &'static str,
    },
}

/// Checks that `role` may move a declaration from `from` to `to`.
pub fn check_transition(role: Role, from: Status, to: Status) -> Result<(), TransitionError> {
    let allowed_role = match to {
        Status::RiskAssessed => matches!(role, Role::Analyst | Role::Supervisor | Role::Admin),
        Status::Invalidated => role != Role::Lab && role != Role::Analyst,
        Status::Lodged | Status::Accepted => false,
        _ => matches!(role, Role::Officer | Role::Supervisor | Role::Admin),
    };
    if !allowed_role {
        return Err(TransitionError::Forbidden {
            role: role.as_str(),
            to: to.as_str(),
        });
    }
    if !from.can_become(to) {
        return Err(TransitionError::NotAllowed {
            from: from.as_str(),
            to: to.as_str(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_states_go_nowhere() {
        for from in Status::ALL.into_iter().filter(|s| s.is_final()) {
            assert!(Status::ALL.into_iter().all(|to| !from.can_become(to)));
        }
    }

    #[test]
    fn roles_are_checked_before_the_lifecycle() {
        assert!(check_transition(Role::Officer, Status::Accepted, Status::Released).is_ok());
        assert!(matches!(
            check_transition(Role::Declarant, Status::Accepted, Status::Released),
            Err(TransitionError::Forbidden { .. })
        ));
        assert!(check_transition(Role::Declarant, Status::Accepted, Status::Invalidated).is_ok());
        assert!(matches!(
            check_transition(Role::Officer, Status::Released, Status::Invalidated),
            Err(TransitionError::NotAllowed { .. })
        ));
    }
}
