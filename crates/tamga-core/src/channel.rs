//! The selectivity channel: where the targeting engine routes a declaration and what control
//! follows, shared by the engine (`tamga-risk`) and control (`tamga-control`).

use serde::{Deserialize, Serialize};

/// The channel a declaration is routed to, from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// Release without control.
    Green,
    /// Release, then post-clearance audit.
    Blue,
    /// Documentary check.
    Yellow,
    /// Physical inspection.
    Red,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Green, Channel::Blue, Channel::Yellow, Channel::Red];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Green => "green",
            Channel::Blue => "blue",
            Channel::Yellow => "yellow",
            Channel::Red => "red",
        }
    }

    pub fn parse(raw: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == raw)
    }
}
