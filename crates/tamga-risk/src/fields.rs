//! The fixed, documented set of declaration fields a risk profile may test.
//!
//! Declaration-level fields have one value per declaration; item-level fields one per goods item.
//! A profile's condition is evaluated once per goods item, with the declaration-level fields the
//! same for every item, and the profile fires when it holds for at least one item. Multi-valued
//! fields (`party`, `container`) hold when any of their values does.

use std::fmt;

/// The type of a field's values, which decides the operators it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// A code or identifier, compared as text: `==`, `!=`, `in [..]`, `in list(..)`.
    Code,
    /// A commodity code: also `in chapter(..)`, `heading(..)`, `subheading(..)`, `line(..)`.
    Commodity,
    /// A number: comparisons, `in [..]` and `in range(low, high)`.
    Number,
    /// A yes/no fact, written alone (`aeo`, `not preference`) or compared with `true`/`false`.
    Flag,
}

/// What a named list holds; a membership test needs the list kind of its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// ISO 3166 alpha-2 country codes.
    Countries,
    /// Commodity code prefixes (2 to 10 digits).
    Commodities,
    /// Party identifiers (TINs, EORIs).
    Parties,
    /// Customs office UN/LOCODEs.
    Offices,
    /// Container numbers.
    Containers,
    /// Any other codes (procedures, transport modes, declaration types).
    Codes,
}

macro_rules! fields {
    ($($variant:ident = $name:literal, $ty:ident, $item:literal, $list:expr, $doc:literal;)+) => {
        /// A field a condition may test. See [`Field::ALL`] and [`Field::describe`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Field { $($variant),+ }

        impl Field {
            pub const ALL: &'static [Field] = &[$(Field::$variant),+];

            /// The name written in profiles.
            pub fn name(self) -> &'static str {
                match self { $(Field::$variant => $name),+ }
            }

            pub fn field_type(self) -> FieldType {
                match self { $(Field::$variant => FieldType::$ty),+ }
            }

            /// Whether the field has one value per goods item.
            pub fn per_item(self) -> bool {
                match self { $(Field::$variant => $item),+ }
            }

            /// The kind of named list a membership test of this field needs, if any.
            pub fn list_kind(self) -> Option<ListKind> {
                match self { $(Field::$variant => $list),+ }
            }

            /// One sentence for the documentation and the API.
            pub fn describe(self) -> &'static str {
                match self { $(Field::$variant => $doc),+ }
            }
        }
    };
}

fields! {
    Hs = "hs", Commodity, true, Some(ListKind::Commodities),
        "The item's commodity code (10 digits; prefixes by chapter, heading, subheading, line).";
    Origin = "origin", Code, true, Some(ListKind::Countries), "The item's country of origin.";
    Procedure = "procedure", Code, true, Some(ListKind::Codes), "The item's procedure code (e.g. 4000).";
    Preference = "preference", Flag, true, None, "Whether the item claims a tariff preference.";
    NetMass = "net_mass", Number, true, None, "The item's net mass in kg.";
    GrossMass = "gross_mass", Number, true, None, "The item's gross mass in kg.";
    Value = "value", Number, true, None,
        "The item's customs value in national currency (UZS), from the assessment.";
    UnitValue = "unit_value", Number, true, None, "The item's customs value per kg of net mass (UZS).";
    UnitValueRatio = "unit_value_ratio", Number, true, None,
        "The item's unit value divided by the valuation reference median for its code and origin.";
    ModelScore = "model_score", Number, true, None,
        "The learned model's fraud probability for the item (0 to 1), when a model is active.";
    Office = "office", Code, false, Some(ListKind::Offices), "The office of lodgement (UN/LOCODE).";
    Type = "type", Code, false, Some(ListKind::Codes), "The declaration type: IM, EX or TR.";
    Dispatch = "dispatch", Code, false, Some(ListKind::Countries), "The country of dispatch.";
    Destination = "destination", Code, false, Some(ListKind::Countries), "The country of destination.";
    Declarant = "declarant", Code, false, Some(ListKind::Parties), "The declarant's identifier.";
    Importer = "importer", Code, false, Some(ListKind::Parties), "The importer's identifier.";
    Exporter = "exporter", Code, false, Some(ListKind::Parties), "The exporter's identifier.";
    Party = "party", Code, false, Some(ListKind::Parties),
        "Any of declarant, importer, exporter and representative.";
    TransportMode = "transport_mode", Code, false, Some(ListKind::Codes),
        "The border transport mode (UN/ECE Rec. 19: 1 sea, 2 rail, 3 road, 4 air, ...).";
    Container = "container", Code, false, Some(ListKind::Containers), "Any container number declared.";
    Containers = "containers", Number, false, None, "How many containers are declared.";
    Items = "items", Number, false, None, "How many goods items the declaration has.";
    InvoiceAmount = "invoice_amount", Number, false, None, "The invoice total in its own currency.";
    Aeo = "aeo", Flag, false, None,
        "Whether the declarant or importer is in the authorised economic operator register.";
    WatchlistHit = "watchlist_hit", Flag, false, None,
        "Whether any party's name matched a watchlist entry at or above the screening threshold.";
    WatchlistScore = "watchlist_score", Number, false, None,
        "The best watchlist match score over the parties' names (0 to 1; 0 without a match).";
}

impl Field {
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// Whether the field can hold several values at once (any of them may satisfy a test).
    pub fn multi_valued(self) -> bool {
        matches!(self, Field::Party | Field::Container)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
