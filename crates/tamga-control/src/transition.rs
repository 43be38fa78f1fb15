//! The one error every state machine of this crate returns for a step it does not allow: it names
//! the current state and the allowed next ones, so the API can answer 409 with both.

/// A refused state change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} that is {current} cannot become {requested}; allowed next: {}", allowed_list(.allowed))]
pub struct IllegalTransition {
    /// What moves, e.g. "a control task", for the message.
    pub what: &'static str,
    pub current: &'static str,
    pub requested: &'static str,
    pub allowed: Vec<&'static str>,
}

fn allowed_list(allowed: &[&'static str]) -> String {
    if allowed.is_empty() {
        "none (final state)".to_owned()
    } else {
        allowed.join(", ")
    }
}

/// A state machine with written state names and a table of allowed next states.
pub trait Lifecycle: Copy + PartialEq + 'static {
    /// "a control task", "a sample", ...
    const WHAT: &'static str;

    fn as_str(self) -> &'static str;

    /// The states this one may become.
    fn next(self) -> &'static [Self];

    /// `to` if `self -> to` is allowed, else the error naming both and the allowed states.
    fn step(self, to: Self) -> Result<Self, IllegalTransition> {
        if self.next().contains(&to) {
            return Ok(to);
        }
        Err(IllegalTransition {
            what: Self::WHAT,
            current: self.as_str(),
            requested: to.as_str(),
            allowed: self.next().iter().map(|s| s.as_str()).collect(),
        })
    }

    fn is_final(self) -> bool {
        self.next().is_empty()
    }
}
