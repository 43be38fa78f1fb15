//! The values of every [`Field`] for one declaration, gathered once before profiles run.

use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use tamga_core::Declaration;

use crate::fields::Field;

/// What the engine cannot read off the declaration itself, per goods item, supplied by the
/// caller from the assessment and the valuation references (`None` when unknown).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ItemFacts {
    /// Customs value in national currency.
    pub value: Option<f64>,
    /// Unit value divided by the valuation reference median.
    pub unit_value_ratio: Option<f64>,
    /// Customs duty as a percentage of the customs value, from the assessment.
    pub duty_rate: Option<f64>,
}

impl ItemFacts {
    /// The customs duty the assessment puts on the item (value × duty rate), in national
    /// currency: what a fraud on it puts at stake. 0 when either is unknown.
    pub fn duty_at_stake(&self) -> f64 {
        match (self.value, self.duty_rate) {
            (Some(value), Some(rate)) if value.is_finite() && rate.is_finite() => {
                (value * rate / 100.0).max(0.0)
            }
            _ => 0.0,
        }
    }
}

/// One goods item as a learned model is given it: the declaration, the item's position, its
/// facts, and the AEO status the engine reads from its register.
#[derive(Debug, Clone, Copy)]
pub struct ScoredItem<'a> {
    pub declaration: &'a Declaration,
    /// The item's position in the declaration (0 for the first).
    pub index: usize,
    pub facts: ItemFacts,
    /// Whether the declarant or the importer holds AEO status.
    pub aeo: bool,
}

/// The declaration under assessment, with what the caller knows besides.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub declaration: &'a Declaration,
    /// One per goods item, in the declaration's order; missing entries count as unknown.
    pub items: &'a [ItemFacts],
}

/// Text values of a field: none, one, or several (any may satisfy a test).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Texts<'a> {
    None,
    One(&'a str),
    Many(&'a [&'a str]),
}

impl<'a> Texts<'a> {
    pub(crate) fn any(self, mut f: impl FnMut(&str) -> bool) -> bool {
        match self {
            Texts::None => false,
            Texts::One(s) => f(s),
            Texts::Many(all) => all.iter().any(|s| f(s)),
        }
    }

    pub(crate) fn to_vec(self) -> Vec<&'a str> {
        match self {
            Texts::None => Vec::new(),
            Texts::One(s) => vec![s],
            Texts::Many(all) => all.to_vec(),
        }
    }
}

/// Declaration-level values.
#[derive(Debug)]
pub(crate) struct DeclarationFacts<'a> {
    pub office: &'a str,
    pub declaration_type: &'a str,
    pub dispatch: Option<&'a str>,
    pub destination: Option<&'a str>,
    pub declarant: &'a str,
    pub importer: Option<&'a str>,
    pub exporter: Option<&'a str>,
    pub parties: Vec<&'a str>,
    pub transport_mode: Option<&'a str>,
    pub containers: Vec<&'a str>,
    pub invoice_amount: Option<Decimal>,
    pub items: usize,
    pub aeo: bool,
    pub watchlist_hit: bool,
    pub watchlist_score: f64,
}

/// One goods item's values.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ItemView<'a> {
    pub hs: &'a str,
    pub origin: Option<&'a str>,
    pub procedure: &'a str,
    pub preference: bool,
    pub net_mass: Option<Decimal>,
    pub gross_mass: Option<Decimal>,
    pub value: Option<f64>,
    pub unit_value: Option<f64>,
    pub unit_value_ratio: Option<f64>,
    pub model_score: Option<f64>,
}

impl<'a> DeclarationFacts<'a> {
    pub(crate) fn new(declaration: &'a Declaration) -> Self {
        let d = declaration;
        let id = |p: &'a Option<tamga_core::model::Party>| p.as_ref().map(|p| p.id.as_str());
        let mut parties = vec![d.declarant.id.as_str()];
        parties.extend(
            [id(&d.importer), id(&d.exporter), id(&d.representative)]
                .into_iter()
                .flatten(),
        );
        Self {
            office: d.customs_office.as_str(),
            declaration_type: d.declaration_type.as_str(),
            dispatch: d.country_of_dispatch.as_ref().map(|c| c.as_str()),
            destination: d.country_of_destination.as_ref().map(|c| c.as_str()),
            declarant: d.declarant.id.as_str(),
            importer: id(&d.importer),
            exporter: id(&d.exporter),
            parties,
            transport_mode: d.border_transport.as_ref().map(|t| t.mode.as_str()),
            containers: d.containers.iter().map(|c| c.as_str()).collect(),
            invoice_amount: d.invoice.as_ref().map(|i| i.amount),
            items: d.items.len(),
            aeo: false,
            watchlist_hit: false,
            watchlist_score: 0.0,
        }
    }

    pub(crate) fn texts(&self, field: Field) -> Texts<'_> {
        let one = |v: Option<&'a str>| v.map_or(Texts::None, Texts::One);
        match field {
            Field::Office => Texts::One(self.office),
            Field::Type => Texts::One(self.declaration_type),
            Field::Dispatch => one(self.dispatch),
            Field::Destination => one(self.destination),
            Field::Declarant => Texts::One(self.declarant),
            Field::Importer => one(self.importer),
            Field::Exporter => one(self.exporter),
            Field::Party => Texts::Many(&self.parties),
            Field::TransportMode => one(self.transport_mode),
            Field::Container => Texts::Many(&self.containers),
            _ => Texts::None,
        }
    }

    pub(crate) fn number(&self, field: Field) -> Option<Decimal> {
        match field {
            Field::Containers => Some(self.containers.len().into()),
            Field::Items => Some(self.items.into()),
            Field::InvoiceAmount => self.invoice_amount,
            Field::WatchlistScore => decimal(Some(self.watchlist_score)),
            _ => None,
        }
    }

    pub(crate) fn flag(&self, field: Field) -> bool {
        match field {
            Field::Aeo => self.aeo,
            Field::WatchlistHit => self.watchlist_hit,
            _ => false,
        }
    }
}

impl<'a> ItemView<'a> {
    pub(crate) fn new(item: &'a tamga_core::model::GoodsItem, facts: ItemFacts) -> Self {
        let net_mass = Some(item.net_mass);
        let unit_value = match (facts.value, item.net_mass.to_f64()) {
            (Some(v), Some(m)) if m > 0.0 => Some(v / m),
            _ => None,
        };
        Self {
            hs: item.commodity_code.as_str(),
            origin: item.origin.as_ref().map(|c| c.as_str()),
            procedure: item.procedure.as_str(),
            preference: item.preference.is_some(),
            net_mass,
            gross_mass: Some(item.gross_mass),
            value: facts.value,
            unit_value,
            unit_value_ratio: facts.unit_value_ratio,
            model_score: None,
        }
    }

    pub(crate) fn texts(&self, field: Field) -> Texts<'a> {
        match field {
            Field::Hs => Texts::One(self.hs),
            Field::Origin => self.origin.map_or(Texts::None, Texts::One),
            Field::Procedure => Texts::One(self.procedure),
            _ => Texts::None,
        }
    }

    pub(crate) fn number(&self, field: Field) -> Option<Decimal> {
        match field {
            Field::NetMass => self.net_mass,
            Field::GrossMass => self.gross_mass,
            Field::Value => decimal(self.value),
            Field::UnitValue => decimal(self.unit_value),
            Field::UnitValueRatio => decimal(self.unit_value_ratio),
            Field::ModelScore => decimal(self.model_score),
            _ => None,
        }
    }
}

/// A computed value (a ratio, a score) as the decimal it prints as, so that a condition's
/// exact literal compares with what an explanation shows.
fn decimal(value: Option<f64>) -> Option<Decimal> {
    value.and_then(Decimal::from_f64)
}

/// Both levels together, as a condition sees them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct View<'f, 'a> {
    pub declaration: &'f DeclarationFacts<'a>,
    pub item: &'f ItemView<'a>,
}

impl View<'_, '_> {
    pub(crate) fn texts(&self, field: Field) -> Texts<'_> {
        if field.per_item() {
            self.item.texts(field)
        } else {
            self.declaration.texts(field)
        }
    }

    pub(crate) fn number(&self, field: Field) -> Option<Decimal> {
        if field.per_item() {
            self.item.number(field)
        } else {
            self.declaration.number(field)
        }
    }

    pub(crate) fn flag(&self, field: Field) -> bool {
        match field {
            Field::Preference => self.item.preference,
            other => self.declaration.flag(other),
        }
    }

    /// The value shown in an explanation.
    pub(crate) fn shown(&self, field: Field) -> serde_json::Value {
        use crate::fields::FieldType;
        match field.field_type() {
            FieldType::Flag => self.flag(field).into(),
            FieldType::Number => self
                .number(field)
                .and_then(|n| n.to_f64())
                .map_or(serde_json::Value::Null, Into::into),
            _ if field.multi_valued() => self.texts(field).to_vec().into(),
            _ => self
                .texts(field)
                .to_vec()
                .first()
                .map_or(serde_json::Value::Null, |s| (*s).into()),
        }
    }
}
