//! Quantile binning of feature columns: every value becomes one of at most 255 bins, bin 0
//! holding the missing (non-finite) values.

/// The upper edges of one feature's bins: bin `b ≥ 1` holds the values in
/// `(edges[b-2], edges[b-1]]`; the last bin also holds anything above the last edge.
#[derive(Debug, Clone, PartialEq)]
pub struct BinMapper {
    edges: Vec<f32>,
}

impl BinMapper {
    /// Chooses at most `max_bins - 1` edges (plus the missing bin) so that the bins hold about
    /// the same number of training values.
    pub fn fit(column: &[f32], max_bins: usize) -> Self {
        let mut values: Vec<f32> = column.iter().copied().filter(|v| v.is_finite()).collect();
        values.sort_unstable_by(f32::total_cmp);
        let mut distinct: Vec<(f32, usize)> = Vec::new();
        for value in values.iter().copied() {
            match distinct.last_mut() {
                Some((last, count)) if *last == value => *count += 1,
                _ => distinct.push((value, 1)),
            }
        }
        let slots = max_bins.clamp(2, 255) - 1;
        if distinct.len() <= slots {
            return Self {
                edges: distinct.into_iter().map(|(v, _)| v).collect(),
            };
        }
        let per_bin = values.len() as f64 / slots as f64;
        let mut edges = Vec::with_capacity(slots);
        let mut seen = 0usize;
        for (value, count) in &distinct {
            seen += count;
            if seen as f64 >= per_bin * (edges.len() + 1) as f64 {
                edges.push(*value);
            }
        }
        if let Some(max) = distinct.last().map(|(v, _)| *v) {
            if edges.last() != Some(&max) {
                edges.push(max);
            }
        }
        edges.truncate(slots);
        Self { edges }
    }

    /// The bin of `value`.
    pub fn bin(&self, value: f32) -> u8 {
        if !value.is_finite() {
            return 0;
        }
        let at = self
            .edges
            .partition_point(|edge| *edge < value)
            .min(self.edges.len().saturating_sub(1));
        u8::try_from(at + 1).unwrap_or(u8::MAX)
    }

    /// The threshold that sends bins `0..=bin` left: `value <= threshold` (missing values
    /// always go left).
    pub fn threshold(&self, bin: u8) -> f32 {
        match usize::from(bin).checked_sub(1) {
            None => f32::MIN,
            Some(at) => self.edges.get(at).copied().unwrap_or(f32::MAX),
        }
    }

    /// How many bins the feature uses, the missing bin included.
    pub fn bins(&self) -> usize {
        self.edges.len() + 1
    }
}

/// Binned training columns: `bins[feature][row]`, and where each feature's histogram starts.
#[derive(Debug, Clone)]
pub struct Binned {
    pub rows: usize,
    pub bins: Vec<Vec<u8>>,
    pub mappers: Vec<BinMapper>,
    pub offsets: Vec<usize>,
    pub total_bins: usize,
}

impl Binned {
    pub fn new(columns: &[Vec<f32>], max_bins: usize) -> Self {
        let mappers: Vec<BinMapper> = columns
            .iter()
            .map(|c| BinMapper::fit(c, max_bins))
            .collect();
        let bins = columns
            .iter()
            .zip(&mappers)
            .map(|(c, m)| c.iter().map(|v| m.bin(*v)).collect())
            .collect();
        let mut offsets = Vec::with_capacity(mappers.len());
        let mut total_bins = 0;
        for mapper in &mappers {
            offsets.push(total_bins);
            total_bins += mapper.bins();
        }
        let rows = columns.first().map_or(0, Vec::len);
        Self {
            rows,
            bins,
            mappers,
            offsets,
            total_bins,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_values_get_their_own_bins() {
        let mapper = BinMapper::fit(&[3.0, 1.0, 2.0, f32::NAN, 2.0], 255);
        assert_eq!(mapper.bins(), 4);
        assert_eq!(
            [
                mapper.bin(f32::NAN),
                mapper.bin(1.0),
                mapper.bin(2.0),
                mapper.bin(3.0)
            ],
            [0, 1, 2, 3]
        );
        assert_eq!(mapper.bin(1.5), 2);
        assert_eq!(mapper.bin(9.0), 3);
        assert_eq!(mapper.threshold(2), 2.0);
    }

    #[test]
    fn many_values_share_bins() {
        let column: Vec<f32> = (0..10_000).map(|i| i as f32).collect();
        let mapper = BinMapper::fit(&column, 255);
        assert!(mapper.bins() <= 255);
        assert_eq!(mapper.bin(9_999.0) as usize, mapper.bins() - 1);
    }
}
