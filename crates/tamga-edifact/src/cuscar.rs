//! CUSCAR → cargo report, for pre-arrival targeting.
//!
//! | segment | tamga |
//! |---|---|
//! | `BGM` 1004 | report reference |
//! | `TDT` C220 8067, C222 8213 / 8212, 8453 | conveyance: mode, identification, nationality |
//! | `LOC+60`, else `LOC+11`, else `LOC+8` | place of arrival |
//! | `DTM+132` (format 102) | expected arrival |
//! | `CNI` 1490, C503 1004 | a consignment and its transport document |
//! | `RFF+BM`/`AWB`/`CMR`/`ED` in a consignment | transport document, when CNI has none |
//! | `NAD+CZ` / `NAD+CN` | consignor / consignee (name, else identifier) |
//! | `EQD+CN` | container of the consignment |
//! | `GID` 1496, C213 7224 | a goods item and its packages |
//! | `FTX+AAA`, `RFF+HS` or `PIA`, `MEA+WT` (G/AAB, KGM) | description, commodity code, gross mass |
//!
//! Goods segments that come before their `GID` (as some carriers send them) describe the goods
//! item the `GID` then numbers.

use tamga_core::cargo::{CargoGoods, CargoReport, Consignment, Conveyance};

use crate::interchange::Message;
use crate::parse::Segment;

/// Maps one CUSCAR message; `carrier` is the interchange's sender.
pub fn to_report(message: &Message<'_>, carrier: Option<&str>) -> CargoReport {
    let mut report = CargoReport {
        carrier: carrier.map(str::to_owned),
        ..CargoReport::default()
    };
    let mut arrival: [Option<String>; 3] = Default::default();
    for s in message.body() {
        let text = |e: usize, c: usize| s.nonempty(e, c).map(str::to_owned);
        match (s.tag, s.value(0, 0).unwrap_or("")) {
            ("BGM", _) => report.reference = text(1, 0).unwrap_or_default(),
            ("TDT", _) => {
                report.conveyance = Some(Conveyance {
                    mode: text(2, 0),
                    identification: text(7, 0).or_else(|| text(7, 3)),
                    nationality: text(7, 4),
                });
            }
            ("LOC", "60") => arrival[0] = text(1, 0),
            ("LOC", "11") => arrival[1] = text(1, 0),
            ("LOC", "8") => arrival[2] = text(1, 0),
            ("DTM", "132") if report.consignments.is_empty() => {
                report.expected_arrival = s.nonempty(0, 1).map(date_102)
            }
            ("CNI", _) => report.consignments.push(Consignment {
                sequence: s.nonempty(0, 0).and_then(|n| n.parse().ok()).unwrap_or(0),
                transport_document: text(1, 0),
                ..Consignment::default()
            }),
            _ => consignment_segment(&mut report, s),
        }
    }
    report.arrival_place = arrival.into_iter().flatten().next();
    report
}

fn consignment_segment(report: &mut CargoReport, s: &Segment<'_>) {
    let Some(consignment) = report.consignments.last_mut() else {
        return;
    };
    let text = |e: usize, c: usize| s.nonempty(e, c).map(str::to_owned);
    match (s.tag, s.value(0, 0).unwrap_or("")) {
        ("RFF", "BM" | "AWB" | "CMR" | "ED") if consignment.transport_document.is_none() => {
            consignment.transport_document = text(0, 1)
        }
        ("NAD", "CZ") => consignment.consignor = text(3, 0).or_else(|| text(1, 0)),
        ("NAD", "CN") => consignment.consignee = text(3, 0).or_else(|| text(1, 0)),
        ("EQD", "CN") => consignment.containers.extend(text(1, 0)),
        ("GID", _) => {
            let sequence = s.nonempty(0, 0).and_then(|n| n.parse().ok()).unwrap_or(0);
            let packages = s.nonempty(1, 0).and_then(|n| n.parse().ok());
            match consignment.goods.last_mut() {
                // Goods segments came first: the GID numbers that item.
                Some(goods) if goods.sequence == 0 => {
                    goods.sequence = sequence;
                    goods.packages = goods.packages.or(packages);
                }
                _ => consignment.goods.push(CargoGoods {
                    sequence,
                    packages,
                    ..CargoGoods::default()
                }),
            }
        }
        ("FTX", "AAA") => goods(consignment)
            .into_iter()
            .for_each(|g| g.description = text(3, 0)),
        ("RFF", "HS") => goods(consignment)
            .into_iter()
            .for_each(|g| g.commodity_code = text(0, 1)),
        ("PIA", _) => goods(consignment)
            .into_iter()
            .for_each(|g| g.commodity_code = text(1, 0)),
        ("MEA", "WT")
            if matches!(s.value(1, 0), Some("G" | "AAB"))
                && matches!(s.value(2, 0), Some("KGM" | "KG")) =>
        {
            let mass = s
                .nonempty(2, 1)
                .and_then(|m| m.replace(',', ".").parse().ok());
            goods(consignment)
                .into_iter()
                .for_each(|g| g.gross_mass = mass);
        }
        _ => {}
    }
}

/// The goods item being described, created when its segments precede its `GID`.
fn goods(consignment: &mut Consignment) -> Option<&mut CargoGoods> {
    if consignment.goods.is_empty() {
        consignment.goods.push(CargoGoods::default());
    }
    consignment.goods.last_mut()
}

fn date_102(raw: &str) -> String {
    match (raw.get(..4), raw.get(4..6), raw.get(6..8)) {
        (Some(y), Some(m), Some(d)) if raw.len() == 8 => format!("{y}-{m}-{d}"),
        _ => raw.to_owned(),
    }
}
