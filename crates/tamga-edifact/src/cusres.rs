//! CUSRES: tamga's answer to each CUSDEC of an interchange, in kind.
//!
//! tamga's profile (D96B segments):
//!
//! | segment | meaning |
//! |---|---|
//! | `BGM+962+<MRN or LRN>+<29 accepted / 27 not accepted>` | the response and its verdict |
//! | `RFF+ABT:<MRN>` | the MRN, when accepted |
//! | `RFF+ABO:<LRN>` | the declarant's LRN |
//! | `FTX+ACB+++<status>` | the declaration's status, when accepted |
//! | `GIS+<channel>:CHN` | the selectivity channel (`GREEN`, `YELLOW`, `RED`, `BLUE`), when decided |
//! | `BGM+962+<report reference>+29` `RFF+ACD:<id>` | a cargo report registered under tamga's id |
//! | `ERP+1` `ERC+<code>` `FTX+AAO+++<code> <pointer>:<message>` | each problem, when not accepted |
//!
//! The application error code of ERC (data element 9321) is at most 8 characters: a tamga
//! code that fits is written as it is, a longer one by its short form from [`SHORT_CODES`],
//! and an unlisted one as `E` and seven hexadecimal digits of its FNV-1a hash. The full code
//! always opens the FTX text.

use tamga_core::FieldError;

use crate::contrl::Acknowledger;
use crate::interchange::Header;

/// What became of one declaration.
#[derive(Debug, Clone)]
pub enum Verdict {
    Accepted {
        mrn: String,
        status: String,
        channel: Option<String>,
    },
    Rejected {
        errors: Vec<FieldError>,
    },
    /// A cargo report stored under tamga's `id`.
    Registered {
        id: String,
    },
}

/// One CUSRES interchange answering `header`'s interchange: one message per declaration (or
/// cargo report), given as (LRN or report reference, verdict).
pub fn respond(header: &Header, verdicts: &[(String, Verdict)], by: &Acknowledger<'_>) -> String {
    let mut writer = crate::contrl::reply_writer(header, by);
    for (n, (lrn, verdict)) in verdicts.iter().enumerate() {
        let one = |v: &str| vec![v.to_owned()];
        let mut body = Vec::new();
        match verdict {
            Verdict::Accepted {
                mrn,
                status,
                channel,
            } => {
                body.push(("BGM", vec![one("962"), one(mrn), one("29")]));
                body.push(("RFF", vec![vec!["ABT".into(), mrn.clone()]]));
                body.push(("RFF", vec![vec!["ABO".into(), lrn.clone()]]));
                if let Some(channel) = channel {
                    body.push(("GIS", vec![vec![channel.to_uppercase(), "CHN".into()]]));
                }
                body.push(("FTX", vec![one("ACB"), vec![], vec![], one(status)]));
            }
            Verdict::Registered { id } => {
                body.push(("BGM", vec![one("962"), one(lrn), one("29")]));
                body.push(("RFF", vec![vec!["ACD".into(), id.clone()]]));
            }
            Verdict::Rejected { errors } => {
                body.push(("BGM", vec![one("962"), one(lrn), one("27")]));
                body.push(("RFF", vec![vec!["ABO".into(), lrn.clone()]]));
                for error in errors {
                    body.push(("ERP", vec![one("1")]));
                    body.push(("ERC", vec![one(&error_code(&error.code))]));
                    let text: String =
                        format!("{} {}: {}", error.code, error.pointer, error.message)
                            .chars()
                            .take(512)
                            .collect();
                    body.push(("FTX", vec![one("AAO"), vec![], vec![], vec![text]]));
                }
            }
        }
        writer.message(&(n + 1).to_string(), &["CUSRES", "D", "96B", "UN"], &body);
    }
    writer.finish()
}

/// The longest application error code (9321, an..8).
pub const MAX_CODE: usize = 8;

/// Short forms of tamga's problem codes longer than [`MAX_CODE`].
pub const SHORT_CODES: &[(&str, &str)] = &[
    ("amendment_not_supported", "AMENDNS"),
    ("check_digit_mismatch", "CHKDIGIT"),
    ("commodity_code_not_leaf", "HSNOLEAF"),
    ("commodity_code_unknown", "HSUNKN"),
    ("country_unknown", "CTRYUNKN"),
    ("currency_unknown", "CURUNKN"),
    ("date_in_future", "DATEFUT"),
    ("date_out_of_range", "DATERNG"),
    ("forbidden", "FORBID"),
    ("invalid_amount", "INVAMT"),
    ("invalid_code", "INVCODE"),
    ("invalid_date", "INVDATE"),
    ("invalid_format", "INVFMT"),
    ("invalid_length", "INVLEN"),
    ("invalid_number", "INVNUM"),
    ("invalid_text", "INVTEXT"),
    ("invalid_type", "INVTYPE"),
    ("message_not_supported", "MSGNS"),
    ("net_mass_exceeds_gross", "NETGROSS"),
    ("no_declaration", "NODECL"),
    ("not_positive", "NOTPOS"),
    ("not_your_party", "NOTPARTY"),
    ("office_unknown", "OFFUNKN"),
    ("out_of_range", "RANGE"),
    ("procedure_type_mismatch", "PROCTYPE"),
    ("quantity_required", "QTYREQ"),
    ("too_many_items", "MAXITEMS"),
    ("unknown_office", "OFFUNKN"),
    ("xml_malformed", "XMLBAD"),
];

/// The ERC code for a tamga problem code: at most [`MAX_CODE`] characters, the same code always
/// giving the same answer.
pub fn error_code(code: &str) -> String {
    if code.chars().count() <= MAX_CODE {
        return code.to_owned();
    }
    if let Some((_, short)) = SHORT_CODES.iter().find(|(long, _)| *long == code) {
        return (*short).to_owned();
    }
    let hash = code.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    format!("E{:07X}", hash & 0x0FFF_FFFF)
}
