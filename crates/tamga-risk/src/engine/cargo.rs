//! Pre-arrival targeting: each consignment of a cargo report runs through the same profiles
//! and watchlists as a declaration, with what a manifest knows. Office is the arrival place,
//! the type `IM`, `transport_mode` and the vehicle from the conveyance, `container` and
//! `containers`, `items` (goods lines), and per goods line `hs` and `gross_mass`; consignor and
//! consignee are screened by name. Every other field is missing, so conditions on it are false.
//! No random draw and no capacity: the result is a risk level for the officer planning arrivals.

use tamga_core::cargo::{CargoGoods, CargoReport, Consignment};
use time::Date;

use super::route::{by_score, forced, summary};
use super::{fire_one, Engine};
use crate::explain::{Decision, Explanation, PartyHit, Thresholds};
use crate::facts::{DeclarationFacts, ItemView};

fn goods_view(goods: &CargoGoods) -> ItemView<'_> {
    ItemView {
        hs: goods.commodity_code.as_deref().unwrap_or(""),
        origin: None,
        procedure: "",
        preference: false,
        net_mass: None,
        gross_mass: goods.gross_mass,
        value: None,
        unit_value: None,
        unit_value_ratio: None,
        model_score: None,
    }
}

impl Engine {
    /// The risk level of one consignment of `report`, arriving on `day`.
    pub fn assess_consignment(
        &self,
        report: &CargoReport,
        consignment: &Consignment,
        day: Date,
    ) -> Decision {
        let office = report.arrival_place.as_deref().unwrap_or("");
        let conveyance = report.conveyance.as_ref();
        let facts = DeclarationFacts {
            office,
            declaration_type: "IM",
            dispatch: None,
            destination: None,
            declarant: "",
            importer: None,
            exporter: None,
            parties: Vec::new(),
            transport_mode: conveyance.and_then(|c| c.mode.as_deref()),
            containers: consignment.containers.iter().map(String::as_str).collect(),
            invoice_amount: None,
            items: consignment.goods.len(),
            aeo: false,
            watchlist_hit: false,
            watchlist_score: 0.0,
        };
        let mut hits = self.screen_cargo(report, consignment);
        let mut facts = facts;
        facts.watchlist_hit = !hits.is_empty();
        facts.watchlist_score = hits.iter().map(|h| h.score).fold(0.0, f64::max);
        let items: Vec<ItemView<'_>> = consignment.goods.iter().map(goods_view).collect();
        let fired = self
            .profiles
            .iter()
            .filter(|c| c.profile.valid_on(day) && c.profile.scope.covers(office, "IM"))
            .filter_map(|c| fire_one(c, &facts, &items))
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        let mut e = self.explain(fired, hits, None, false);
        e.random_key = format!("cargo/{}/{}", report.reference, consignment.sequence);
        self.level(office, e)
    }

    fn screen_cargo(&self, report: &CargoReport, consignment: &Consignment) -> Vec<PartyHit> {
        let vehicle = report
            .conveyance
            .as_ref()
            .and_then(|c| c.identification.as_deref());
        let ids = consignment
            .containers
            .iter()
            .map(|c| ("container", c.as_str()));
        let names = [
            ("consignor", &consignment.consignor),
            ("consignee", &consignment.consignee),
        ]
        .into_iter()
        .filter_map(|(role, name)| name.as_deref().map(|n| (role, n, n)));
        self.screen_all(ids.chain(vehicle.map(|v| ("vehicle", v))), names)
    }

    /// Thresholds and forced channels only.
    fn level(&self, office: &str, mut e: Explanation) -> Decision {
        let rules = self.selectivity.rules(office);
        e.thresholds = Thresholds {
            yellow_at: rules.yellow_at,
            red_at: rules.red_at,
        };
        let score = e.raw_score;
        let forced = forced(&e);
        let channel = forced.unwrap_or_else(|| by_score(rules, score));
        e.summary = summary(channel, score, forced, &e);
        Decision {
            channel,
            score,
            random: false,
            explanation: e,
            claim: None,
        }
    }
}
