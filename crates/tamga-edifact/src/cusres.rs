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
//! | `ERP+1` `ERC+<code>` `FTX+AAO+++<pointer>:<message>` | each problem, when not accepted |

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
                    body.push(("ERC", vec![one(&error.code)]));
                    let text: String = format!("{}: {}", error.pointer, error.message)
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
