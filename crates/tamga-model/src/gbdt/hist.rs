//! Gradient histograms of a node's rows and the best split they allow.

use super::bins::Binned;

/// Sums of gradients, hessians and rows.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sum {
    pub g: f64,
    pub h: f64,
    pub n: u32,
}

impl Sum {
    fn add(&mut self, g: f32, h: f32) {
        self.g += f64::from(g);
        self.h += f64::from(h);
        self.n += 1;
    }

    fn plus(self, o: Sum) -> Sum {
        Sum {
            g: self.g + o.g,
            h: self.h + o.h,
            n: self.n + o.n,
        }
    }

    fn minus(self, o: Sum) -> Sum {
        Sum {
            g: self.g - o.g,
            h: self.h - o.h,
            n: self.n.saturating_sub(o.n),
        }
    }

    /// The loss reduction of giving these rows their optimal value, under L2 `lambda`.
    pub fn score(self, lambda: f64) -> f64 {
        self.g * self.g / (self.h + lambda)
    }

    /// The optimal (Newton) value of these rows.
    pub fn value(self, lambda: f64) -> f64 {
        -self.g / (self.h + lambda)
    }

    /// The sums of `rows`.
    pub fn of(rows: &[u32], grad: &[f32], hess: &[f32]) -> Sum {
        let mut sum = Sum::default();
        for row in rows {
            let at = *row as usize;
            sum.add(
                grad.get(at).copied().unwrap_or(0.0),
                hess.get(at).copied().unwrap_or(0.0),
            );
        }
        sum
    }
}

/// Below this many (row, feature) cells a histogram is summed on one thread: spawning costs
/// more than it saves on small nodes, and on busy cores a thread waiting for its sibling does too.
const PARALLEL_WORK: usize = 400_000;

/// One histogram cell per (feature, bin), laid out by [`Binned::offsets`].
pub type Histogram = Vec<Sum>;

/// Builds the histogram of `rows` over the `features` (ascending; others stay zero), splitting the
/// features over `threads` threads; each feature is summed by one thread in row order, so the
/// result does not depend on the number of threads.
pub fn build(
    binned: &Binned,
    rows: &[u32],
    grad: &[f32],
    hess: &[f32],
    features: &[usize],
    threads: usize,
) -> Histogram {
    let mut hist = vec![Sum::default(); binned.total_bins];
    let gathered: Vec<(usize, f32, f32)> = rows
        .iter()
        .map(|r| *r as usize)
        .map(|r| {
            (
                r,
                grad.get(r).copied().unwrap_or(0.0),
                hess.get(r).copied().unwrap_or(0.0),
            )
        })
        .collect();
    let mut slices: Vec<(usize, &mut [Sum])> = Vec::with_capacity(features.len());
    let mut rest = hist.as_mut_slice();
    let mut wanted = features.iter().peekable();
    for (feature, mapper) in binned.mappers.iter().enumerate() {
        let take = mapper.bins().min(rest.len());
        let (head, tail) = std::mem::take(&mut rest).split_at_mut(take);
        rest = tail;
        if wanted.peek() == Some(&&feature) {
            wanted.next();
            slices.push((feature, head));
        }
    }
    let fill = |chunk: &mut [(usize, &mut [Sum])]| {
        for (feature, cells) in chunk.iter_mut() {
            fill_feature(
                binned.bins.get(*feature).map_or(&[], Vec::as_slice),
                &gathered,
                cells,
            );
        }
    };
    let work = rows.len() * slices.len();
    if threads <= 1 || work < PARALLEL_WORK {
        fill(&mut slices);
    } else {
        let per = slices.len().div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            for chunk in slices.chunks_mut(per) {
                scope.spawn(|| fill(chunk));
            }
        });
    }
    hist
}

fn fill_feature(bins: &[u8], gathered: &[(usize, f32, f32)], cells: &mut [Sum]) {
    for (row, g, h) in gathered {
        let bin = bins.get(*row).copied().unwrap_or(0);
        if let Some(cell) = cells.get_mut(usize::from(bin)) {
            cell.add(*g, *h);
        }
    }
}

/// `parent - child`, cell by cell: the histogram of the sibling.
pub fn subtract(parent: &mut Histogram, child: &Histogram) {
    for (p, c) in parent.iter_mut().zip(child) {
        *p = p.minus(*c);
    }
}

/// Constraints and regularisation of splits.
#[derive(Debug, Clone, Copy)]
pub struct SplitRules {
    pub lambda: f64,
    pub min_child_weight: f64,
    pub min_data_in_leaf: u32,
    pub min_split_gain: f64,
}

/// A chosen split: bins `0..=bin` of `feature` go left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Split {
    pub feature: usize,
    pub bin: u8,
    pub gain: f64,
    pub left: Sum,
    pub right: Sum,
}

/// The split of highest gain over `features`, if any beats `min_split_gain`; ties go to the
/// first feature and bin, which keeps training deterministic.
pub fn best_split(
    hist: &Histogram,
    binned: &Binned,
    total: Sum,
    features: &[usize],
    rules: &SplitRules,
) -> Option<Split> {
    let parent = total.score(rules.lambda);
    let mut best: Option<Split> = None;
    for feature in features {
        let (Some(offset), Some(mapper)) =
            (binned.offsets.get(*feature), binned.mappers.get(*feature))
        else {
            continue;
        };
        let cells = hist.get(*offset..*offset + mapper.bins()).unwrap_or(&[]);
        let mut left = Sum::default();
        for (bin, cell) in cells.iter().enumerate().take(cells.len().saturating_sub(1)) {
            left = left.plus(*cell);
            let right = total.minus(left);
            if !admissible(left, right, rules) {
                continue;
            }
            let gain = left.score(rules.lambda) + right.score(rules.lambda) - parent;
            if gain > rules.min_split_gain && best.is_none_or(|b| gain > b.gain) {
                let bin = u8::try_from(bin).unwrap_or(u8::MAX);
                best = Some(Split {
                    feature: *feature,
                    bin,
                    gain,
                    left,
                    right,
                });
            }
        }
    }
    best
}

fn admissible(left: Sum, right: Sum, rules: &SplitRules) -> bool {
    left.n >= rules.min_data_in_leaf
        && right.n >= rules.min_data_in_leaf
        && left.h >= rules.min_child_weight
        && right.h >= rules.min_child_weight
}
