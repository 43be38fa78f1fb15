//! The quantity a specific rate is charged on, read from a goods item.
//!
//! A rate per `kg` reads the net mass; any other unit reads the supplementary quantity or an
//! additional quantity declared in that unit (compared without regard to case or repeated
//! spaces). When a unit is not declared, it is derived from those that are:
//!
//! | unit | derived as |
//! |---|---|
//! | `t`, `tne` | net mass / 1000 |
//! | `l`, `ltr` / `hl`, `hlt` | from each other (1 hl = 100 l) |
//! | `% vol/hl` | alcoholic strength (`% vol`) × hectolitres: a rate on the product |
//! | `l alc. 100%`, `lpa` | litres × strength / 100: litres of pure alcohol |
//!
//! A named substance (`kg/biodiesel`, `kg N`, `kg P2O5`) cannot be derived: the declaration
//! says how much of it the goods contain.

use rust_decimal::Decimal;

use crate::model::GoodsItem;

/// The unit of an alcoholic strength by volume, as normalised.
pub const STRENGTH: &str = "% vol";

const LITRES: [&str; 2] = ["l", "ltr"];
const HECTOLITRES: [&str; 2] = ["hl", "hlt"];
const TONNES: [&str; 2] = ["t", "tne"];
const STRENGTH_HECTOLITRES: [&str; 2] = ["% vol/hl", "% vol/hlt"];
const PURE_ALCOHOL: [&str; 3] = ["l alc. 100%", "lpa", "l alc 100%"];

/// Lower case, with single spaces: how units are compared.
pub fn normalise_unit(unit: &str) -> String {
    unit.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// What an item lacks for a rate in some unit: a sentence to finish "declare ...".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lacking(pub String);

/// The item's quantity in `unit`, declared or derived.
pub fn quantity(item: &GoodsItem, unit: &str) -> Result<Decimal, Lacking> {
    let unit = normalise_unit(unit);
    if unit == "kg" {
        return Ok(item.net_mass);
    }
    if let Some(declared) = declared(item, &unit) {
        return Ok(declared);
    }
    let volume = || litres(item).ok_or_else(|| Lacking("a quantity in l or hl".into()));
    let strength = || {
        declared(item, STRENGTH)
            .ok_or_else(|| Lacking("the alcoholic strength, as a quantity in % vol".into()))
    };
    let hundred = Decimal::ONE_HUNDRED;
    match unit.as_str() {
        u if TONNES.contains(&u) => Ok(item.net_mass / Decimal::ONE_THOUSAND),
        u if LITRES.contains(&u) => volume(),
        u if HECTOLITRES.contains(&u) => Ok(volume()? / hundred),
        u if STRENGTH_HECTOLITRES.contains(&u) => Ok(strength()? * volume()? / hundred),
        u if PURE_ALCOHOL.contains(&u) => Ok(volume()? * strength()? / hundred),
        _ => Err(Lacking(format!("a quantity in {unit}"))),
    }
}

/// A quantity declared in exactly this (normalised) unit.
fn declared(item: &GoodsItem, unit: &str) -> Option<Decimal> {
    let supplementary = item
        .supplementary_quantity
        .as_ref()
        // A quantity declared without a unit is in the tariff's unit (WCO DM allows it).
        .filter(|q| {
            q.unit
                .as_ref()
                .is_none_or(|u| normalise_unit(u.as_str()) == unit)
        })
        .map(|q| q.quantity);
    supplementary.or_else(|| {
        item.additional_quantities
            .iter()
            .find(|q| normalise_unit(&q.unit) == unit)
            .map(|q| q.quantity)
    })
}

/// The item's volume in litres, from a quantity declared in litres or hectolitres.
fn litres(item: &GoodsItem) -> Option<Decimal> {
    let in_unit = |units: &[&str]| units.iter().find_map(|u| declared(item, u));
    in_unit(&LITRES).or_else(|| in_unit(&HECTOLITRES).map(|hl| hl * Decimal::ONE_HUNDRED))
}
