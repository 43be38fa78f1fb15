//! DMS-style notifications (`WCOTypeName` RES), with the function codes of UK CDS: `02`
//! received (DMSRCV), `01` accepted with the MRN and the acceptance time (DMSACC), `03`
//! rejected with an `Error` per problem — the validation code, the message, and the field as a
//! JSON pointer in `Pointer/TagID` (DMSREJ), `05` goods to be physically inspected (DMSCTL, the
//! red channel), `06` documents to be presented (DMSDOC, the yellow channel), and `09` cleared
//! and released (DMSCLE).

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

fn reference(lrn: &str, mrn: &str) -> String {
    format!(
        "<Declaration><FunctionalReferenceID>{}</FunctionalReferenceID><ID>{}</ID><VersionID>1</VersionID></Declaration>",
        escape(lrn),
        escape(mrn)
    )
}

/// `02`: the declaration `lrn` was received and registered as `mrn`.
pub fn received(lrn: &str, mrn: &str, issued: &str) -> String {
    document("02", issued, &reference(lrn, mrn))
}

/// The control a selectivity channel calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// `05`: the goods will be physically inspected (red).
    Physical,
    /// `06`: documents are to be presented (yellow).
    Documentary,
}

/// `05` or `06`: customs will control the declaration before release.
pub fn control(lrn: &str, mrn: &str, control: Control, issued: &str) -> String {
    let function = match control {
        Control::Physical => "05",
        Control::Documentary => "06",
    };
    document(function, issued, &reference(lrn, mrn))
}

/// `09`: the goods are cleared and released.
pub fn cleared(lrn: &str, mrn: &str, issued: &str) -> String {
    document("09", issued, &reference(lrn, mrn))
}

/// Several notifications in one document, oldest first.
pub fn wrap(notifications: &[String]) -> String {
    let inner: Vec<&str> = notifications
        .iter()
        .map(|n| n.trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Notifications>{}</Notifications>\n",
        inner.concat()
    )
}
