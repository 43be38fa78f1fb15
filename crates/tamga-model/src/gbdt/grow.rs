//! Growing one tree leaf-wise: always split the leaf whose best split gains most.

use super::bins::Binned;
use super::hist::{self, best_split, Histogram, Split, SplitRules, Sum};
use super::tree::{Node, Tree};

/// Limits on the shape of a tree.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub max_leaves: usize,
    pub max_depth: usize,
    pub learning_rate: f64,
    pub threads: usize,
}

/// What one tree is grown from.
#[derive(Debug)]
pub struct Input<'a> {
    pub binned: &'a Binned,
    pub grad: &'a [f32],
    pub hess: &'a [f32],
    /// The columns this tree may split on, ascending.
    pub features: &'a [usize],
    pub rules: SplitRules,
    pub shape: Shape,
}

/// A leaf still open for splitting.
struct Open {
    node: usize,
    rows: Vec<u32>,
    hist: Histogram,
    depth: usize,
    split: Option<Split>,
}

impl Input<'_> {
    fn histogram(&self, rows: &[u32]) -> Histogram {
        hist::build(
            self.binned,
            rows,
            self.grad,
            self.hess,
            self.features,
            self.shape.threads,
        )
    }

    fn open(&self, node: usize, rows: Vec<u32>, hist: Histogram, sum: Sum, depth: usize) -> Open {
        let split = if depth < self.shape.max_depth {
            best_split(&hist, self.binned, sum, self.features, &self.rules)
        } else {
            None
        };
        Open {
            node,
            rows,
            hist,
            depth,
            split,
        }
    }

    fn value(&self, sum: Sum) -> f32 {
        (sum.value(self.rules.lambda) * self.shape.learning_rate) as f32
    }

    /// Grows a tree over `rows`.
    pub fn grow(&self, rows: Vec<u32>) -> Tree {
        let sum = Sum::of(&rows, self.grad, self.hess);
        let mut tree = Tree {
            nodes: vec![Node::leaf(0, self.value(sum))],
            depth: 0,
            bins: vec![0],
        };
        let hist = self.histogram(&rows);
        let mut open = vec![self.open(0, rows, hist, sum, 0)];
        let mut leaves = 1;
        while leaves < self.shape.max_leaves {
            let Some(at) = pick(&open) else { break };
            let leaf = open.remove(at);
            let Some(split) = leaf.split else { break };
            open.extend(self.split(&mut tree, leaf, split));
            leaves += 1;
        }
        tree
    }

    /// Splits `leaf`, turning its node into an internal one, and returns the two children.
    fn split(&self, tree: &mut Tree, leaf: Open, split: Split) -> [Open; 2] {
        let column = self
            .binned
            .bins
            .get(split.feature)
            .map_or(&[][..], Vec::as_slice);
        let (left, right): (Vec<u32>, Vec<u32>) = leaf
            .rows
            .iter()
            .partition(|r| column.get(**r as usize).copied().unwrap_or(0) <= split.bin);
        // Only the smaller child is summed; the larger one is the parent minus the smaller.
        let left_smaller = left.len() <= right.len();
        let small_hist = self.histogram(if left_smaller { &left } else { &right });
        let mut large_hist = leaf.hist;
        hist::subtract(&mut large_hist, &small_hist);
        let (left_hist, right_hist) = if left_smaller {
            (small_hist, large_hist)
        } else {
            (large_hist, small_hist)
        };
        let left_node = tree.nodes.len();
        tree.nodes
            .push(Node::leaf(left_node, self.value(split.left)));
        tree.nodes
            .push(Node::leaf(left_node + 1, self.value(split.right)));
        tree.bins.extend([0, 0]);
        if let Some(bin) = tree.bins.get_mut(leaf.node) {
            *bin = split.bin;
        }
        if let Some(node) = tree.nodes.get_mut(leaf.node) {
            node.feature = u32::try_from(split.feature).unwrap_or(u32::MAX);
            node.threshold = self
                .binned
                .mappers
                .get(split.feature)
                .map_or(f32::MAX, |m| m.threshold(split.bin));
            node.left = u32::try_from(left_node).unwrap_or(u32::MAX);
        }
        let depth = leaf.depth + 1;
        tree.depth = tree.depth.max(u32::try_from(depth).unwrap_or(u32::MAX));
        [
            self.open(left_node, left, left_hist, split.left, depth),
            self.open(left_node + 1, right, right_hist, split.right, depth),
        ]
    }
}

/// The open leaf with the best split (the first one on ties).
fn pick(open: &[Open]) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (at, leaf) in open.iter().enumerate() {
        if let Some(split) = &leaf.split {
            if best.is_none_or(|(_, gain)| split.gain > gain) {
                best = Some((at, split.gain));
            }
        }
    }
    best.map(|(at, _)| at)
}
