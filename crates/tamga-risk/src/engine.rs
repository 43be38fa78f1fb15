//! The compiled snapshot: profiles compiled against the lists, the selectivity rules, the
//! watchlist screener and the learned model, immutable once built. Assessment reads only memory.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use tamga_core::Declaration;
use time::Date;

use crate::compile::{compile, CompileError, CompiledLists, Node};
use crate::explain::{Decision, Explanation, FiredProfile, ModelPart, PartyHit, Thresholds};
use crate::facts::{DeclarationFacts, ItemView, ScoredItem, Subject, View};
use crate::fields::Field;
use crate::lang::ParseError;
use crate::lists::NamedList;
use crate::profile::{Effect, Profile};
use crate::selectivity::{Capacity, DrawSecret, Selectivity};

mod cargo;
mod route;
mod scoring;

pub(crate) use route::{forced as forced_channel, summary};

/// A watchlist screener: the party names of every declaration go through it.
pub trait NameScreen: Send + Sync + fmt::Debug {
    /// Matches of `name` scoring at least `threshold`, best first.
    fn screen(&self, name: &str, threshold: f64) -> Vec<WatchHit>;

    /// Listed containers or vehicles with this identifier (exact after normalisation).
    fn identifier(&self, _id: &str) -> Vec<WatchHit> {
        Vec::new()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct WatchHit {
    pub entry_id: String,
    pub source: String,
    pub matched_name: String,
    pub score: f64,
}

/// A learned model scoring goods items (0 = surely clean, 1 = surely fraud).
pub trait ItemScorer: Send + Sync + fmt::Debug {
    fn name(&self) -> &str;
    fn score(&self, item: ScoredItem<'_>) -> f64;
    /// The `top` features that pushed the score most, with their contributions.
    fn explain(&self, item: ScoredItem<'_>, top: usize) -> Vec<(String, f64)>;
}

/// Why a profile cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("condition: {0}")]
    Parse(#[from] ParseError),
    #[error("condition: {0}")]
    Compile(#[from] CompileError),
}

/// A profile ready to evaluate.
#[derive(Debug)]
pub struct CompiledProfile {
    pub profile: Profile,
    node: Node,
    fields: Vec<Field>,
}

/// What a snapshot is built from.
#[derive(Debug, Default)]
pub struct EngineParts {
    pub profiles: Vec<Profile>,
    pub lists: Vec<NamedList>,
    pub selectivity: Selectivity,
    /// The server's secret keying the random draws.
    pub draw_secret: DrawSecret,
    pub screen: Option<Arc<dyn NameScreen>>,
    pub scorer: Option<Arc<dyn ItemScorer>>,
    /// Names this snapshot in every explanation (e.g. a digest of what it was built from).
    pub snapshot: String,
}

#[derive(Debug)]
pub struct Engine {
    profiles: Vec<CompiledProfile>,
    index: crate::index::Index,
    lists: CompiledLists,
    selectivity: Selectivity,
    draw_secret: DrawSecret,
    screen: Option<Arc<dyn NameScreen>>,
    scorer: Option<Arc<dyn ItemScorer>>,
    snapshot: String,
    skipped: Vec<(String, u32, ProfileError)>,
}

impl Default for Engine {
    /// An engine without profiles, lists or watchlists, under the default selectivity.
    fn default() -> Self {
        Engine::build(EngineParts::default())
    }
}

impl Engine {
    /// Compiles every active profile; one that no longer fits the lists (a list was removed) is
    /// skipped and reported by [`Engine::skipped`], never silently.
    pub fn build(parts: EngineParts) -> Engine {
        let mut engine = Engine {
            profiles: Vec::new(),
            index: crate::index::Index::default(),
            lists: CompiledLists::new(&parts.lists),
            selectivity: parts.selectivity,
            draw_secret: parts.draw_secret,
            screen: parts.screen,
            scorer: parts.scorer,
            snapshot: parts.snapshot,
            skipped: Vec::new(),
        };
        for profile in parts.profiles.into_iter().filter(|p| p.active) {
            match engine.compile(profile.clone()) {
                Ok(compiled) => {
                    let n = u32::try_from(engine.profiles.len()).unwrap_or(u32::MAX);
                    engine.index.add(n, crate::index::anchors(&compiled.node));
                    engine.profiles.push(compiled);
                }
                Err(e) => engine.skipped.push((profile.id, profile.version, e)),
            }
        }
        engine
    }

    pub fn compile(&self, profile: Profile) -> Result<CompiledProfile, ProfileError> {
        let condition = profile.parse_condition()?;
        let node = compile(&condition, &self.lists)?;
        Ok(CompiledProfile {
            fields: condition.fields(),
            profile,
            node,
        })
    }

    pub fn skipped(&self) -> &[(String, u32, ProfileError)] {
        &self.skipped
    }

    /// The named lists of `kind` that hold `value` (trimmed, upper case): a border post's
    /// plate on a list of codes, a container on a list of containers.
    pub fn lists_holding(&self, kind: crate::fields::ListKind, value: &str) -> Vec<String> {
        self.lists.holding(kind, value)
    }

    pub fn profiles(&self) -> usize {
        self.profiles.len()
    }

    pub fn selectivity(&self) -> &Selectivity {
        &self.selectivity
    }

    pub fn snapshot(&self) -> &str {
        &self.snapshot
    }

    /// Risk-assesses a declaration accepted on `today`, settling a red decision's claim
    /// against the in-memory `capacity` (one process; the store settles it for servers).
    pub fn assess(&self, subject: Subject<'_>, today: Date, capacity: &Capacity) -> Decision {
        let decision = self.decide(subject, today);
        match &decision.claim {
            Some(claim) if !capacity.take(claim) => decision.capacity_reached(),
            _ => decision,
        }
    }

    /// Risk-assesses a declaration accepted on `today`; a red decision carries its unsettled
    /// claim on the day's red capacity.
    pub fn decide(&self, subject: Subject<'_>, today: Date) -> Decision {
        let d = subject.declaration;
        let mut facts = DeclarationFacts::new(d);
        facts.aeo = self.is_aeo(&facts);
        let watchlist = self.screen_parties(d);
        facts.watchlist_hit = !watchlist.is_empty();
        facts.watchlist_score = watchlist.iter().map(|h| h.score).fold(0.0, f64::max);
        let mut items = item_views(subject);
        let model = self.score_items(subject, &mut items, facts.aeo);
        let fired = self.fire(&facts, &items, today);
        let mut explanation = self.explain(fired, watchlist, model, facts.aeo);
        explanation.random_key = format!("{}/{}", d.declarant.id, d.lrn);
        self.route(d.customs_office.as_str(), today, explanation)
    }

    /// The profile's firing on `subject`, if it fires (dry runs; scope and dates ignored).
    pub fn fires(&self, compiled: &CompiledProfile, subject: Subject<'_>) -> Option<FiredProfile> {
        let mut facts = DeclarationFacts::new(subject.declaration);
        facts.aeo = self.is_aeo(&facts);
        let items = item_views(subject);
        fire_one(compiled, &facts, &items)
    }

    /// Whether the declarant or the importer of `declaration` holds AEO status, by the
    /// register the selectivity settings name (what the AEO reduction and the model see).
    pub fn aeo(&self, declaration: &Declaration) -> bool {
        self.is_aeo(&DeclarationFacts::new(declaration))
    }

    fn is_aeo(&self, facts: &DeclarationFacts<'_>) -> bool {
        let Some(register) = self.lists.get(&self.selectivity.aeo_register) else {
            return false;
        };
        [Some(facts.declarant), facts.importer]
            .into_iter()
            .flatten()
            .any(|id| register.contains(id.to_ascii_uppercase().as_str()))
    }

    /// Party names against the watchlists, and containers and the border vehicle against the
    /// listed identifiers.
    fn screen_parties(&self, d: &Declaration) -> Vec<PartyHit> {
        let parties = [
            ("declarant", Some(&d.declarant)),
            ("importer", d.importer.as_ref()),
            ("exporter", d.exporter.as_ref()),
            ("representative", d.representative.as_ref()),
        ];
        let vehicle = d
            .border_transport
            .as_ref()
            .and_then(|t| t.identification.as_deref());
        let containers = d.containers.iter().map(|c| ("container", c.as_str()));
        let names = parties
            .into_iter()
            .filter_map(|(role, p)| p.map(|p| (role, p.id.as_str(), p.name.as_str())));
        self.screen_all(containers.chain(vehicle.map(|v| ("vehicle", v))), names)
    }

    /// Identifiers (role, id) against the listed containers and vehicles, then names (role, id,
    /// name) against the watchlists at the configured threshold.
    fn screen_all<'a>(
        &self,
        identifiers: impl Iterator<Item = (&'a str, &'a str)>,
        names: impl Iterator<Item = (&'a str, &'a str, &'a str)>,
    ) -> Vec<PartyHit> {
        let Some(screen) = &self.screen else {
            return Vec::new();
        };
        let hit = |role: &str, id: &str, name: &str, h: WatchHit| PartyHit {
            role: role.into(),
            party_id: id.to_owned(),
            party_name: name.to_owned(),
            entry_id: h.entry_id,
            source: h.source,
            matched_name: h.matched_name,
            score: h.score,
        };
        let mut out = Vec::new();
        for (role, id) in identifiers {
            out.extend(
                screen
                    .identifier(id)
                    .into_iter()
                    .map(|h| hit(role, id, id, h)),
            );
        }
        let threshold = self.selectivity.watchlist_threshold;
        for (role, id, name) in names {
            out.extend(
                screen
                    .screen(name, threshold)
                    .into_iter()
                    .map(|h| hit(role, id, name, h)),
            );
        }
        out
    }

    fn fire(
        &self,
        facts: &DeclarationFacts<'_>,
        items: &[ItemView<'_>],
        today: Date,
    ) -> Vec<FiredProfile> {
        self.index
            .candidates(facts, items)
            .into_iter()
            .filter_map(|i| self.profiles.get(i as usize))
            .filter(|c| c.profile.valid_on(today))
            .filter(|c| c.profile.scope.covers(facts.office, facts.declaration_type))
            .filter_map(|c| fire_one(c, facts, items))
            .collect()
    }

    fn explain(
        &self,
        profiles: Vec<FiredProfile>,
        watchlist: Vec<PartyHit>,
        model: Option<ModelPart>,
        aeo: bool,
    ) -> Explanation {
        let weights: i64 = profiles
            .iter()
            .map(|p| match p.effect {
                Effect::Weight(w) => i64::from(w),
                Effect::Force(_) => 0,
            })
            .sum();
        let watch = if watchlist.is_empty() {
            0
        } else {
            self.selectivity.watchlist_weight
        };
        let raw_score = weights + watch + model.as_ref().map_or(0, |m| m.contribution);
        Explanation {
            summary: String::new(),
            profiles,
            watchlist,
            model,
            raw_score,
            aeo_reduction: if aeo {
                self.selectivity.aeo_reduction
            } else {
                0
            },
            thresholds: Thresholds {
                yellow_at: 0,
                red_at: 0,
            },
            random_channel: None,
            random_key: String::new(),
            random_secret: 0,
            random_rates: Default::default(),
            capacity_limited: false,
            capacity_reserved: false,
            snapshot: self.snapshot.clone(),
        }
    }
}

fn sequence(d: &Declaration, i: usize) -> u16 {
    d.items.get(i).map_or(0, |item| item.sequence)
}

fn item_views<'a>(subject: Subject<'a>) -> Vec<ItemView<'a>> {
    let d = subject.declaration;
    d.items
        .iter()
        .enumerate()
        .map(|(i, item)| ItemView::new(item, subject.items.get(i).copied().unwrap_or_default()))
        .collect()
}

fn fire_one(
    compiled: &CompiledProfile,
    facts: &DeclarationFacts<'_>,
    items: &[ItemView<'_>],
) -> Option<FiredProfile> {
    let (item, view) = items.iter().enumerate().find_map(|(i, item)| {
        let view = View {
            declaration: facts,
            item,
        };
        compiled.node.eval(&view).then_some((i, view))
    })?;
    let matched: BTreeMap<String, serde_json::Value> = compiled
        .fields
        .iter()
        .map(|f| (f.name().to_owned(), view.shown(*f)))
        .collect();
    let p = &compiled.profile;
    Some(FiredProfile {
        id: p.id.clone(),
        version: p.version,
        title: p.title.clone(),
        effect: p.effect,
        item: u16::try_from(item + 1).unwrap_or(u16::MAX),
        matched,
    })
}
