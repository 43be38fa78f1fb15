//! The learned model's part of a decision: every goods item scored, the riskiest one explained,
//! and the duty at stake and the expected revenue over all items.

use super::{sequence, Engine};
use crate::explain::ModelPart;
use crate::facts::{ItemView, ScoredItem, Subject};

impl Engine {
    pub(super) fn score_items(
        &self,
        subject: Subject<'_>,
        items: &mut [ItemView<'_>],
        aeo: bool,
    ) -> Option<ModelPart> {
        let scorer = self.scorer.as_ref()?;
        let item = |index: usize| ScoredItem {
            declaration: subject.declaration,
            index,
            facts: subject.items.get(index).copied().unwrap_or_default(),
            aeo,
        };
        let mut best: Option<(usize, f64)> = None;
        let (mut duty_at_stake, mut expected_revenue) = (0.0, 0.0);
        for (i, view) in items.iter_mut().enumerate() {
            let score = scorer.score(item(i));
            view.model_score = Some(score);
            let duty = item(i).facts.duty_at_stake();
            duty_at_stake += duty;
            expected_revenue += tamga_model::expected_revenue(score, duty);
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((i, score));
            }
        }
        let (i, score) = best?;
        Some(ModelPart {
            model: scorer.name().to_owned(),
            score,
            item: sequence(subject.declaration, i),
            contribution: (score * self.selectivity.model_weight).round() as i64,
            top_features: scorer.explain(item(i), 5),
            duty_at_stake,
            expected_revenue,
        })
    }
}
