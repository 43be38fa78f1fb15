//! DMS-style notifications (`WCOTypeName` RES): `01` accepted, with the MRN and the acceptance
//! time; `03` rejected, with an `Error` per problem (the validation code, the message, and the
//! field as a JSON pointer in `Pointer/TagID`).

use tamga_core::FieldError;

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids become U+FFFD, so the answer stays well-formed.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn document(function: &str, issued: &str, inner: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MetaData xmlns=\"urn:wco:datamodel:WCO:DocumentMetaData-DMS:2\">\
<WCODataModelVersionCode>3.6</WCODataModelVersionCode><WCOTypeName>RES</WCOTypeName>\
<ResponsibleCountryCode>UZ</ResponsibleCountryCode><ResponsibleAgencyName>tamga</ResponsibleAgencyName>\
<Response><FunctionCode>{function}</FunctionCode>\
<IssueDateTime><DateTimeString formatCode=\"304\">{issued}</DateTimeString></IssueDateTime>{inner}</Response></MetaData>\n"
    )
}

/// `01`: the declaration `lrn` was accepted as `mrn` at `accepted` (format 304,
/// `CCYYMMDDhhmmssZ`).
pub fn accepted(lrn: &str, mrn: &str, accepted: &str) -> String {
    let inner = format!(
        "<Declaration><AcceptanceDateTime><DateTimeString formatCode=\"304\">{}</DateTimeString></AcceptanceDateTime>\
<FunctionalReferenceID>{}</FunctionalReferenceID><ID>{}</ID><VersionID>1</VersionID></Declaration>",
        escape(accepted),
        escape(lrn),
        escape(mrn)
    );
    document("01", accepted, &inner)
}

/// `03`: the declaration `lrn` was rejected for `errors`.
pub fn rejected(lrn: &str, errors: &[FieldError], issued: &str) -> String {
    let mut inner = String::new();
    for e in errors {
        inner.push_str(&format!(
            "<Error><ValidationCode>{}</ValidationCode><Description>{}</Description><Pointer><TagID>{}</TagID></Pointer></Error>",
            escape(&e.code),
            escape(&e.message),
            escape(&e.pointer)
        ));
    }
    inner.push_str(&format!(
        "<Declaration><FunctionalReferenceID>{}</FunctionalReferenceID><RejectionDateTime><DateTimeString formatCode=\"304\">{}</DateTimeString></RejectionDateTime></Declaration>",
        escape(lrn),
        escape(issued)
    ));
    document("03", issued, &inner)
}
