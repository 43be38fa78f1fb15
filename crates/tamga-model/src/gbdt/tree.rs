//! One regression tree as a flat array of nodes.

use serde::{Deserialize, Serialize};

use super::bins::Binned;

/// The most rows [`Tree::predict_block`] takes at once.
pub const BLOCK: usize = 64;

/// Marks a leaf in [`Node::feature`].
pub const LEAF: u32 = u32::MAX;

/// A node (16 bytes): internal nodes send `x[feature] <= threshold` and missing values to
/// `left`, the others to `left + 1`. Every node keeps the value the tree would give if it
/// stopped there, which path attribution needs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub feature: u32,
    pub threshold: f32,
    pub left: u32,
    /// Contribution to the log-odds, learning rate applied.
    pub value: f32,
}

impl Node {
    /// A leaf at index `at`: it points to itself, and as its feature is missing every row
    /// "goes left" and stays, so traversal can run a fixed number of steps without branching.
    pub fn leaf(at: usize, value: f32) -> Self {
        Self {
            feature: LEAF,
            threshold: 0.0,
            left: u32::try_from(at).unwrap_or(u32::MAX),
            value,
        }
    }

    /// The child `x` goes to; `x > threshold` is false for NaN, so missing values go left.
    fn next(&self, x: f32) -> usize {
        self.left as usize + usize::from(x > self.threshold)
    }
}

/// A tree; node 0 is the root.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    #[serde(with = "packed_nodes")]
    pub nodes: Vec<Node>,
    /// The depth of the deepest leaf: traversal takes this many steps.
    pub depth: u32,
    /// The training bin of each node's threshold, to predict on binned rows while training.
    #[serde(skip)]
    pub bins: Vec<u8>,
}

/// Nodes as packed base64 text (16 bytes each: feature, threshold, left, value) since model
/// format 2; format 1's list of node objects is still read.
mod packed_nodes {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Node;
    use crate::pack::{Reader, Writer};

    pub fn serialize<S: Serializer>(nodes: &[Node], serializer: S) -> Result<S::Ok, S::Error> {
        let mut w = Writer::default();
        for node in nodes {
            w.u32(node.feature);
            w.f32(node.threshold);
            w.u32(node.left);
            w.f32(node.value);
        }
        w.text().serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Node>, D::Error> {
        // Through a JSON value: serde's untagged enums cannot read numbers when serde_json
        // keeps arbitrary precision (as it does in this workspace).
        let text = match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::String(text) => text,
            other => return serde_json::from_value(other).map_err(serde::de::Error::custom),
        };
        let mut r = Reader::of_text(&text).map_err(serde::de::Error::custom)?;
        let mut nodes = Vec::new();
        while !r.done() {
            let mut node = || -> Result<Node, crate::pack::PackError> {
                Ok(Node {
                    feature: r.u32()?,
                    threshold: r.f32()?,
                    left: r.u32()?,
                    value: r.f32()?,
                })
            };
            nodes.push(node().map_err(serde::de::Error::custom)?);
        }
        Ok(nodes)
    }
}

impl Tree {
    /// Whether the tree is well formed for `features` features: children inside the tree and
    /// after their parent (so there are no cycles), leaves pointing to themselves, and a depth
    /// no larger than the node count. Checked on load, so a damaged file cannot make scoring
    /// loop for long or read out of place.
    pub fn is_valid(&self, features: usize) -> bool {
        let n = self.nodes.len();
        let node_ok = |(at, node): (usize, &Node)| {
            if node.feature == LEAF {
                node.left as usize == at
            } else {
                (node.feature as usize) < features
                    && node.left as usize > at
                    && (node.left as usize) + 1 < n
            }
        };
        n > 0 && (self.depth as usize) < n.max(2) && self.nodes.iter().enumerate().all(node_ok)
    }

    /// The node `x` moves to from node `at` (a leaf stays where it is).
    pub fn step(&self, at: usize, x: &[f32]) -> usize {
        match self.nodes.get(at) {
            Some(node) => node.next(x.get(node.feature as usize).copied().unwrap_or(f32::NAN)),
            None => at,
        }
    }

    /// The value of node `at`.
    pub fn value(&self, at: usize) -> f32 {
        self.nodes.get(at).map_or(0.0, |node| node.value)
    }

    /// The tree's output for the feature vector `x` (missing features count as missing values).
    pub fn predict(&self, x: &[f32]) -> f32 {
        let at = (0..self.depth).fold(0, |at, _| self.step(at, x));
        self.value(at)
    }

    /// Adds the tree's output for each of up to [`BLOCK`] feature vectors, laid out one after
    /// the other with `width` values each, to `out`. The rows walk the tree in lockstep, so
    /// their memory accesses overlap.
    pub fn predict_block(&self, features: &[f32], width: usize, out: &mut [f64]) {
        let mut at = [0usize; BLOCK];
        let count = features.chunks_exact(width.max(1)).len().min(out.len());
        let at = at.get_mut(..count).unwrap_or(&mut []);
        for _ in 0..self.depth {
            for (node, x) in at.iter_mut().zip(features.chunks_exact(width.max(1))) {
                *node = self.step(*node, x);
            }
        }
        for (node, m) in at.iter().zip(out.iter_mut()) {
            *m += f64::from(self.value(*node));
        }
    }

    /// The tree's output for training row `row` of `binned`.
    pub fn predict_binned(&self, binned: &Binned, row: usize) -> f32 {
        let mut at = 0;
        while let Some(node) = self.nodes.get(at) {
            if node.feature == LEAF {
                return node.value;
            }
            let bin = binned
                .bins
                .get(node.feature as usize)
                .and_then(|c| c.get(row))
                .copied()
                .unwrap_or(0);
            let split = self.bins.get(at).copied().unwrap_or(0);
            at = node.left as usize + usize::from(bin > split);
        }
        0.0
    }

    /// Adds each feature's share of this tree's output for `x` to `out` (Saabas path
    /// attribution: the change of node value along the path goes to the feature split on) and
    /// returns the root value, which belongs to no feature.
    pub fn contributions(&self, x: &[f32], out: &mut [f64]) -> f64 {
        let Some(root) = self.nodes.first() else {
            return 0.0;
        };
        let mut node = root;
        for _ in 0..self.depth {
            if node.feature == LEAF {
                break;
            }
            let Some(child) = self
                .nodes
                .get(node.next(x.get(node.feature as usize).copied().unwrap_or(f32::NAN)))
            else {
                break;
            };
            if let Some(slot) = out.get_mut(node.feature as usize) {
                *slot += f64::from(child.value) - f64::from(node.value);
            }
            node = child;
        }
        f64::from(root.value)
    }
}
