//! UN/EDIFACT syntax (ISO 9735, versions 3 and 4) for tamga: no IO, no allocation for values
//! that carry no release character.
//!
//! - [`decode`]: interchange bytes to text by the character set the UNB declares (UNOA, UNOB,
//!   UNOC as ISO 8859-1, UNOY/UNOW as UTF-8), bytes outside it refused with their position.
//! - [`Delimiters`]: the service characters, from a `UNA` service string advice or the
//!   defaults; the release character escapes a delimiter inside a value.
//! - [`parse`]: segments, elements, repetitions (version 4) and components, each error naming
//!   the segment position, the element and the component.
//! - [`interchange`]: the `UNB`/`UNG`/`UNH`…`UNT`/`UNE`/`UNZ` envelopes with their counts and
//!   control references checked, and the character set (UNOA, UNOB, UNOC, UNOY) enforced.
//! - [`write`]: a writer whose output the parser reads back unchanged.
//! - [`contrl`]: the CONTRL syntax acknowledgement for an interchange.
//!
//! ```
//! let text = "UNA:+.? 'UNB+UNOA:3+SENDER+RECEIVER+260101:1200+42'UNH+1+CUSDEC:D:96B:UN'BGM+929+REF?+1'UNT+3+1'UNZ+1+42'";
//! let interchange = tamga_edifact::interchange::read(text).unwrap();
//! let message = &interchange.messages[0];
//! assert_eq!(message.kind(), Some("CUSDEC"));
//! assert_eq!(message.segments[1].value(1, 0), Some("REF+1"));
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

pub mod charset;
pub mod contrl;
pub mod cuscar;
pub mod cusdec;
mod cusdec_transit;
pub mod cusres;
pub mod decode;
pub mod delimiters;
pub mod error;
pub mod interchange;
pub mod parse;
pub mod write;

pub use decode::decode;
pub use delimiters::Delimiters;
pub use error::{SyntaxError, SyntaxErrorCode};
pub use parse::{parse, Segment};
