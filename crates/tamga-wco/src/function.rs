//! The message function of a DEC-DMS declaration. tamga takes original declarations
//! (`FunctionCode` 9); amendments (13 with type `COR`), invalidation requests (13 with `INV`),
//! other requests (13 with `GPR`) and any other function are refused with
//! `amendment_not_supported`, naming what was sent, never mistaken for an unknown declaration
//! type.

use tamga_core::FieldError;

use crate::xml::Node;

/// The problem code of every refusal here.
pub const CODE: &str = "amendment_not_supported";

/// The function code of an original declaration (`09` is accepted as the same number).
const ORIGINAL: [&str; 2] = ["9", "09"];

/// The DEC-DMS type codes that are requests about a lodged declaration, not declarations.
const REQUESTS: [(&str, &str); 3] = [
    ("COR", "an amendment"),
    ("INV", "a request to invalidate (cancel)"),
    ("GPR", "a request"),
];

/// Why `declaration` cannot be lodged as a new declaration, if it cannot.
pub fn refusal(declaration: &Node) -> Option<FieldError> {
    let function = declaration.text_at(&["FunctionCode"]);
    let kind = declaration.text_at(&["TypeCode"]).unwrap_or("");
    let request = REQUESTS.iter().find(|(code, _)| *code == kind);
    let original = function.is_none_or(|f| ORIGINAL.contains(&f));
    if original && request.is_none() {
        return None;
    }
    let pointer = if original {
        "/Declaration/TypeCode"
    } else {
        "/Declaration/FunctionCode"
    };
    let what = match request {
        Some((code, what)) => format!("{what} (type {code})"),
        None => format!("type {kind}"),
    };
    let of = declaration
        .text_at(&["ID"])
        .map_or(String::new(), |id| format!(" of declaration {id}"));
    let function = function.map_or(String::new(), |f| format!("function code {f}, "));
    let message = format!(
        "{function}{what}{of}: only original declarations (function code 9) are taken; amendments and requests on a lodged declaration are not supported"
    );
    Some(FieldError::new(pointer, CODE, message))
}
