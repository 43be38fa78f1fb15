//! CUSDEC → tamga's declaration draft. The draft then goes through the same validation as a
//! JSON lodgement, so every field error reaches the declarant.
//!
//! The mapping reads the segments that D96B, D99B and D01B CUSDECs share; segments before the
//! first `UNS` are the header, and from there each `CST` or `LIN` starts a goods item.
//!
//! | segment | tamga |
//! |---|---|
//! | `BGM` 1001 (929 / 830 / 934) and 1004 | type IM / EX / TR, and the LRN |
//! | `DTM+137` (format 102) | lodgement date |
//! | `LOC+22` / `LOC+28` / `LOC+35` | customs office / country of destination / country of dispatch |
//! | `NAD+DT` `IM` `EX` `AE` (`CN`, `CZ` as importer, exporter when those are absent) | parties: 3039 id, 3036 name, 3164 city, 3207 country |
//! | `TDT` C220 8067, C222 8213 and 8453 | mode, identification and nationality of the means at the border |
//! | `EQD+CN` | container numbers |
//! | `MOA+39` 5004, 6345 | invoice amount and currency |
//! | `TOD` 4053 | incoterm |
//! | `DOC` 1001, 1004 | documents (a 3-digit UN code becomes `N` + code, e.g. N380) |
//! | `CST` 1496 and C246 7361; `LIN` 1082 | item number and commodity code |
//! | `FTX+AAA` | item description |
//! | `LOC+27` | item origin |
//! | `MEA+WT` (6313 `N`/`AAA` net, `G`/`AAB` gross, empty: both), unit KGM/KG | net and gross mass |
//! | `MOA` in an item | item price |
//! | `RFF+HS` | commodity code, when `CST` carries none |
//! | `PAC` 7224, 7065 | packages |
//! | `GIS` 7365 of four digits in an item | procedure code |
//!
//! A TR declaration's transit particulars (offices, time limit, seals, guarantees) are read by
//! `cusdec_transit`.

use tamga_core::draft::{
    DecimalText, DeclarationDraft, DocumentDraft, InvoiceDraft, ItemDraft, PackagesDraft,
    PartyDraft, TransportDraft,
};

use crate::cusdec_transit::TransitReader;
use crate::interchange::Message;
use crate::parse::Segment;

/// Maps one CUSDEC message to a draft declaration.
pub fn to_draft(message: &Message<'_>) -> DeclarationDraft {
    let body = message.body();
    let split = body
        .iter()
        .position(|s| s.tag == "UNS")
        .unwrap_or(body.len());
    let (header, rest) = body.split_at(split);
    let mut draft = DeclarationDraft::default();
    let mut transit = TransitReader::default();
    for segment in header {
        header_segment(&mut draft, segment);
        transit.segment(segment);
    }
    for segment in rest {
        item_segment(&mut draft, segment);
    }
    if draft.declaration_type.as_deref() == Some("TR") {
        draft.transit = transit.finish();
    }
    draft
}

fn text(segment: &Segment<'_>, element: usize, component: usize) -> Option<String> {
    segment.nonempty(element, component).map(str::to_owned)
}

/// A number; a decimal comma (which the UNA may announce) becomes a point.
fn number(segment: &Segment<'_>, element: usize, component: usize) -> Option<DecimalText> {
    text(segment, element, component).map(|n| DecimalText(n.replace(',', ".")))
}

fn header_segment(d: &mut DeclarationDraft, s: &Segment<'_>) {
    match (s.tag, s.value(0, 0).unwrap_or("")) {
        ("BGM", kind) => {
            d.declaration_type = match kind {
                "929" => Some("IM".into()),
                "830" => Some("EX".into()),
                "934" => Some("TR".into()),
                other => Some(other.to_owned()),
            };
            d.lrn = text(s, 1, 0);
        }
        ("DTM", "137") => d.lodgement_date = s.nonempty(0, 1).map(date_102),
        ("LOC", "22") => d.customs_office = text(s, 1, 0),
        ("LOC", "28") => d.country_of_destination = text(s, 1, 0),
        ("LOC", "35") => d.country_of_dispatch = text(s, 1, 0),
        ("NAD", role) => party(d, role, s),
        ("TDT", _) => d.border_transport = Some(transport(s)),
        ("EQD", "CN") => d.containers.extend(text(s, 1, 0)),
        ("MOA", "39") => {
            d.invoice = Some(InvoiceDraft {
                currency: text(s, 0, 2),
                amount: number(s, 0, 1),
            });
        }
        ("TOD", _) => d.incoterm = text(s, 2, 0),
        ("DOC", _) => d.documents.extend(document(s)),
        _ => {}
    }
}

fn item_segment(d: &mut DeclarationDraft, s: &Segment<'_>) {
    if matches!(s.tag, "CST" | "LIN") {
        let mut item = ItemDraft {
            sequence: s.nonempty(0, 0).and_then(|n| n.parse().ok()),
            ..ItemDraft::default()
        };
        if s.tag == "CST" {
            item.commodity_code = s
                .elements()
                .iter()
                .skip(1)
                .filter_map(|e| e.component(0))
                .find(|c| is_commodity(c))
                .map(str::to_owned);
        }
        d.items.push(item);
        return;
    }
    let Some(item) = d.items.last_mut() else {
        return;
    };
    match (s.tag, s.value(0, 0).unwrap_or("")) {
        ("FTX", "AAA") => {
            item.description = s.elements().get(3).map(|e| {
                e.repetitions
                    .iter()
                    .flatten()
                    .map(AsRef::as_ref)
                    .collect::<Vec<&str>>()
                    .join(" ")
            })
        }
        ("LOC", "27") => item.origin = text(s, 1, 0),
        ("MEA", "WT") => mass(item, s),
        ("MOA", _) => item.price = item.price.take().or_else(|| number(s, 0, 1)),
        ("RFF", "HS") if item.commodity_code.is_none() => item.commodity_code = text(s, 0, 1),
        ("PAC", _) => {
            item.packages = Some(PackagesDraft {
                count: s.nonempty(0, 0).and_then(|n| n.parse().ok()),
                kind: text(s, 2, 0),
                marks: None,
            });
        }
        ("GIS", code) if code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()) => {
            item.procedure = Some(code.to_owned())
        }
        ("DOC", _) => item.documents.extend(document(s)),
        _ => {}
    }
}

fn is_commodity(code: &str) -> bool {
    (2..=10).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit())
}

/// `CCYYMMDD` (format 102) as `YYYY-MM-DD`; anything else is passed on for validation to refuse.
pub(crate) fn date_102(raw: &str) -> String {
    match (raw.get(..4), raw.get(4..6), raw.get(6..8)) {
        (Some(y), Some(m), Some(d)) if raw.len() == 8 => format!("{y}-{m}-{d}"),
        _ => raw.to_owned(),
    }
}

fn party(d: &mut DeclarationDraft, role: &str, s: &Segment<'_>) {
    let draft = PartyDraft {
        id: text(s, 1, 0),
        name: text(s, 3, 0).or_else(|| text(s, 4, 0)),
        country: text(s, 8, 0),
        address: text(s, 4, 0)
            .into_iter()
            .chain(text(s, 5, 0))
            .reduce(|a, b| format!("{a}, {b}")),
    };
    let slot = match role {
        "DT" => &mut d.declarant,
        "IM" => &mut d.importer,
        "EX" => &mut d.exporter,
        "AE" => &mut d.representative,
        "CN" if d.importer.is_none() => &mut d.importer,
        "CZ" if d.exporter.is_none() => &mut d.exporter,
        _ => return,
    };
    *slot = Some(draft);
}

fn transport(s: &Segment<'_>) -> TransportDraft {
    TransportDraft {
        mode: text(s, 2, 0),
        identification: text(s, 7, 0).or_else(|| text(s, 7, 3)),
        nationality: text(s, 7, 4),
    }
}

fn document(s: &Segment<'_>) -> Option<DocumentDraft> {
    let kind = s.nonempty(0, 0)?;
    let kind = if kind.len() == 3 && kind.bytes().all(|b| b.is_ascii_digit()) {
        format!("N{kind}")
    } else {
        kind.to_owned()
    };
    Some(DocumentDraft {
        document_type: Some(kind),
        reference: text(s, 1, 0),
        ..DocumentDraft::default()
    })
}

fn mass(item: &mut ItemDraft, s: &Segment<'_>) {
    let unit = s.value(2, 0).unwrap_or("");
    if !matches!(unit, "KGM" | "KG") {
        return;
    }
    let Some(DecimalText(value)) = number(s, 2, 1) else {
        return;
    };
    match s.value(1, 0).unwrap_or("") {
        "N" | "AAA" | "AAL" => item.net_mass = Some(DecimalText(value)),
        "G" | "AAB" | "AAD" => item.gross_mass = Some(DecimalText(value)),
        "" => {
            item.net_mass
                .get_or_insert_with(|| DecimalText(value.clone()));
            item.gross_mass.get_or_insert(DecimalText(value));
        }
        _ => {}
    }
}
