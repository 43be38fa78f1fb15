//! Signed messages between the tamga nodes of neighbouring customs administrations, with no
//! IO: the [`envelope`] and the exact bytes its Ed25519 signature covers, node and peer
//! [`keys`], the message types and their [`body`] shapes, and the [`inbox`]'s checks. The
//! store keeps the outbox and inbox; the API's `federation` module receives and delivers.
//!
//! ```
//! use tamga_federation::{inbox, keys::NodeKey, Kind, Unsigned};
//! let uz = NodeKey::from_seed([1; 32]);
//! let body = r#"{"containers":["CSQU3054383"],"consignor":"A","consignee":"B",
//!     "commodity":"cigarettes","route":["UZTAS","KZALA"],"reason":"tip-off"}"#;
//! let now = time::OffsetDateTime::now_utc();
//! let message = Unsigned {
//!     id: "a-1".into(), sender: "UZ".into(), recipient: "KZ".into(),
//!     kind: Kind::Alert, conversation: "a-1".into(), body: body.into(),
//! }
//! .sign(&uz, now);
//! let peers = [inbox::Peer { country: "UZ".into(), base_url: String::new(), key: uz.public() }];
//! let policy = inbox::Policy { me: "KZ".into(), window: time::Duration::minutes(5), max_bytes: 65536 };
//! assert!(inbox::admit(message.to_json().as_bytes(), &policy, &peers, now).is_ok());
//! ```
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod body;
pub mod envelope;
pub mod inbox;
pub mod keys;

pub use body::{Body, Kind};
pub use envelope::{Envelope, Unsigned};
