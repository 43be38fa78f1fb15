//! Routing: the score and the forced channels give the channel; the random draw may raise it;
//! a red decision claims a slot of the day's red capacity, and a refused claim lowers it to
//! yellow ([`Decision::capacity_reached`]). The summary sentence says which did what.

use time::Date;

use super::Engine;
use crate::explain::{Decision, Explanation, RedClaim, Thresholds};
use crate::profile::{Channel, Effect};
use crate::selectivity::OfficeRules;

/// The most severe channel a fired profile forces.
pub(crate) fn forced(e: &Explanation) -> Option<Channel> {
    e.profiles
        .iter()
        .filter_map(|p| match p.effect {
            Effect::Force(channel) => Some(channel),
            Effect::Weight(_) => None,
        })
        .max()
}

/// The channel the office's thresholds give a score.
pub(super) fn by_score(rules: &OfficeRules, score: i64) -> Channel {
    if score >= rules.red_at {
        Channel::Red
    } else if score >= rules.yellow_at {
        Channel::Yellow
    } else {
        Channel::Green
    }
}

impl Engine {
    pub(super) fn route(&self, office: &str, today: Date, mut e: Explanation) -> Decision {
        let rules = self.selectivity.rules(office);
        e.thresholds = Thresholds {
            yellow_at: rules.yellow_at,
            red_at: rules.red_at,
        };
        let score = e.raw_score - e.aeo_reduction;
        let forced = forced(&e);
        let mut channel = forced.unwrap_or_else(|| by_score(rules, score));
        e.random_channel = self
            .selectivity
            .random_draw(office, &e.random_key, &self.draw_secret);
        e.random_secret = self.draw_secret.version;
        e.random_rates = rules.random;
        if let Some(drawn) = e.random_channel {
            channel = channel.max(drawn);
        }
        let expected = e.model.as_ref().map_or(f64::NAN, |m| m.expected_revenue);
        let (limit, below_reserve) = rules.red_limit(expected);
        let claim = (channel == Channel::Red).then(|| RedClaim {
            office: office.to_owned(),
            day: today,
            limit,
            must: forced == Some(Channel::Red)
                || e.random_channel == Some(Channel::Red)
                || rules.priority_at.is_some_and(|p| score >= p),
            below_reserve,
        });
        e.summary = summary(channel, score, forced, &e);
        Decision {
            channel,
            score,
            random: e.random_channel.is_some(),
            explanation: e,
            claim,
        }
    }
}

pub(crate) fn summary(
    channel: Channel,
    score: i64,
    forced: Option<Channel>,
    e: &Explanation,
) -> String {
    let mut out = match forced {
        Some(f) => {
            let by: Vec<String> = e
                .profiles
                .iter()
                .filter(|p| p.effect == Effect::Force(f))
                .map(|p| format!("{} v{}", p.id, p.version))
                .collect();
            format!("{f} forced by {}", by.join(", "), f = f.as_str())
        }
        None => format!(
            "score {score} (yellow at {}, red at {})",
            e.thresholds.yellow_at, e.thresholds.red_at
        ),
    };
    if let Some(m) = e.model.as_ref().filter(|m| m.duty_at_stake > 0.0) {
        out.push_str(&format!(
            "; expected revenue at stake {:.0} of {:.0} duty",
            m.expected_revenue, m.duty_at_stake
        ));
    }
    if let Some(drawn) = e.random_channel {
        out.push_str(&format!("; drawn at random for {}", drawn.as_str()));
    }
    if e.capacity_reserved {
        out.push_str(
            "; the rest of the day's red capacity is kept for more revenue at stake, so yellow",
        );
    } else if e.capacity_limited {
        out.push_str("; red capacity of the day reached, so yellow");
    }
    format!("{}: {out}", channel.as_str())
}
