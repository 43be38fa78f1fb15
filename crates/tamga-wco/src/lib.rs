//! The WCO Data Model 3.6 as UK CDS uses it (DEC-DMS): declarations in, DMS-style
//! notifications out. No IO.
//!
//! - [`intake`]: a lodged document from its bytes: [`encoding`] as the XML declaration states
//!   it, the namespaces of the root and its declarations, then each declaration mapped or, for
//!   amendments and other requests ([`function`]), refused.
//! - [`xml`]: a small element tree read with `quick-xml`, local names with the namespace each
//!   resolves to, with limits on depth and attributes (the HTTP body limit bounds the size).
//! - [`dec`]: a DEC-DMS `Declaration` → tamga's declaration draft.
//! - [`notification`]: the `RES` notifications tamga answers with (accepted, rejected).
//!
//! ```
//! let xml = "<MetaData><Declaration><TypeCode>IMA</TypeCode><FunctionalReferenceID>LRN1</FunctionalReferenceID></Declaration></MetaData>";
//! let drafts = tamga_wco::dec::drafts(xml).unwrap();
//! assert_eq!(drafts[0].lrn.as_deref(), Some("LRN1"));
//! assert_eq!(drafts[0].declaration_type.as_deref(), Some("IM"));
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

pub mod dec;
pub mod encoding;
pub mod function;
pub mod intake;
mod invoice;
pub mod notification;
pub mod transit;
pub mod xml;
