//! The categorical fields of a [`Row`] and the stable keys of their values.
//!
//! The KCS layout names fields after the KCS columns; the tamga layout uses tamga's words, and
//! three of its fields read the same row values under them: `exporter` is `seller`, `dispatch`
//! is `departure` and `preference` is `tax_type`.

use serde::{Deserialize, Serialize};

use crate::row::Row;

/// A categorical field of a row; HS4 and HS2 are prefixes of the HS6 code. New fields go at
/// the end, in [`Field::ALL`] too, whose order [`Field::index`] follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Office,
    ProcessType,
    ImportType,
    ImportUse,
    PaymentType,
    Transport,
    Declarant,
    Importer,
    Seller,
    Courier,
    Hs6,
    Hs4,
    Hs2,
    Departure,
    Origin,
    TaxType,
    OriginIndicator,
    /// The full commodity code (tamga's ten digits).
    Commodity,
    Procedure,
    /// Whether the declarant or the importer holds AEO status.
    Aeo,
    /// The exporter: the seller's value under tamga's name.
    Exporter,
    /// The country of dispatch: the departure's value under tamga's name.
    Dispatch,
    /// The preference claimed: the tax type's value under tamga's name.
    Preference,
    /// The item as declared: its exact net mass, value and duty rate together. Rows that share
    /// it (with the commodity and origin) are repeats of one consignment pattern.
    Item,
}

impl Field {
    /// Every field, in feature order.
    pub const ALL: [Field; 24] = [
        Field::Office,
        Field::ProcessType,
        Field::ImportType,
        Field::ImportUse,
        Field::PaymentType,
        Field::Transport,
        Field::Declarant,
        Field::Importer,
        Field::Seller,
        Field::Courier,
        Field::Hs6,
        Field::Hs4,
        Field::Hs2,
        Field::Departure,
        Field::Origin,
        Field::TaxType,
        Field::OriginIndicator,
        Field::Commodity,
        Field::Procedure,
        Field::Aeo,
        Field::Exporter,
        Field::Dispatch,
        Field::Preference,
        Field::Item,
    ];

    /// The name used in feature names (`te_importer`, `n_hs6+origin`).
    pub fn name(self) -> &'static str {
        match self {
            Field::Office => "office",
            Field::ProcessType => "process_type",
            Field::ImportType => "import_type",
            Field::ImportUse => "import_use",
            Field::PaymentType => "payment_type",
            Field::Transport => "transport",
            Field::Declarant => "declarant",
            Field::Importer => "importer",
            Field::Seller => "seller",
            Field::Courier => "courier",
            Field::Hs6 => "hs6",
            Field::Hs4 => "hs4",
            Field::Hs2 => "hs2",
            Field::Departure => "departure",
            Field::Origin => "origin",
            Field::TaxType => "tax_type",
            Field::OriginIndicator => "origin_indicator",
            Field::Commodity => "commodity",
            Field::Procedure => "procedure",
            Field::Aeo => "aeo",
            Field::Exporter => "exporter",
            Field::Dispatch => "dispatch",
            Field::Preference => "preference",
            Field::Item => "item",
        }
    }

    /// The field called `name` (see [`Field::name`]).
    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The value of the field in `row`, `None` when missing or not text ([`Field::Item`] is
    /// three numbers, which only its hash combines).
    pub fn value(self, row: &Row) -> Option<&str> {
        let text = match self {
            Field::Item => return None,
            Field::Office => &row.office,
            Field::ProcessType => &row.process_type,
            Field::ImportType => &row.import_type,
            Field::ImportUse => &row.import_use,
            Field::PaymentType => &row.payment_type,
            Field::Transport => &row.transport_mode,
            Field::Declarant => &row.declarant,
            Field::Importer => &row.importer,
            Field::Seller | Field::Exporter => &row.seller,
            Field::Courier => &row.courier,
            Field::Hs6 | Field::Hs4 | Field::Hs2 => &row.hs6,
            Field::Departure | Field::Dispatch => &row.departure,
            Field::Origin => &row.origin,
            Field::TaxType | Field::Preference => &row.tax_type,
            Field::OriginIndicator => &row.origin_indicator,
            Field::Commodity => &row.commodity,
            Field::Procedure => &row.procedure,
            Field::Aeo => return row.aeo.map(|aeo| if aeo { "yes" } else { "no" }),
        };
        let text = text.as_deref()?;
        match self {
            Field::Hs4 => text.get(..4),
            Field::Hs2 => text.get(..2),
            _ => Some(text),
        }
    }
}

/// The group of fields called `name` (`importer+hs6`), if every part names a field.
pub fn parse_group(name: &str) -> Option<Vec<Field>> {
    name.split('+').map(Field::parse).collect()
}

/// The name of a group of fields: their names joined by `+`.
pub fn group_name(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| f.name())
        .collect::<Vec<_>>()
        .join("+")
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// The hash of every field of a row, indexed by [`Field::index`].
pub type FieldHashes = [u64; Field::ALL.len()];

impl Field {
    /// The position of the field in [`Field::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// A stable 64-bit hash (FNV-1a) of the field's value in `row`, missing included.
    fn hash(self, row: &Row) -> u64 {
        if self == Field::Item {
            let bytes = [row.net_mass, row.item_price, row.tax_rate].map(f64::to_le_bytes);
            return fnv(2, bytes.as_flattened());
        }
        let (tag, bytes) = match self.value(row) {
            Some(value) => (1, value.as_bytes()),
            None => (0, &[][..]),
        };
        fnv(tag, bytes)
    }
}

/// FNV-1a of `bytes` after a tag byte (0 missing, 1 text, 2 numbers).
fn fnv(tag: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold((FNV_OFFSET ^ tag).wrapping_mul(FNV_PRIME), |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(FNV_PRIME)
        })
}

/// Every field's hash for `row`, computed once so that groups of fields only combine them.
pub fn hashes(row: &Row) -> FieldHashes {
    Field::ALL.map(|field| field.hash(row))
}

/// Mixes a field hash into a group key (the MurmurHash3 finaliser, order dependent).
fn mix(key: u64, hash: u64) -> u64 {
    let mut h = (key ^ hash).wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The key of the values of `fields`, from the row's field hashes.
pub fn key_of(fields: &[Field], hashes: &FieldHashes) -> u64 {
    fields.iter().fold(FNV_OFFSET, |key, field| {
        mix(key, hashes.get(field.index()).copied().unwrap_or(0))
    })
}

/// A stable 64-bit key of the values of `fields` in `row`, missing values included; the same
/// as [`key_of`] over [`hashes`].
///
/// Models store keys rather than party ids: lookups need no allocation, and a model file does
/// not list the traders it knows.
pub fn key(fields: &[Field], row: &Row) -> u64 {
    fields
        .iter()
        .fold(FNV_OFFSET, |key, field| mix(key, field.hash(row)))
}
