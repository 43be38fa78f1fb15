//! The compact parts of the serialised model: statistic tables and tree nodes as base64 text of
//! a little-endian byte layout, inside the model's JSON.
//!
//! A model is mostly statistic tables (one entry per trader, commodity, lane... seen in training)
//! and tree nodes; as JSON numbers they took 14 MB for the KCS 2020 model, packed a fraction of
//! it, and a loaded table is the same bits as the trained one: keys and counts are integers,
//! sums are either integers (label counts) or the exact `f64` written out.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// Appends bytes to a buffer.
#[derive(Debug, Default)]
pub struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    /// An unsigned LEB128 integer.
    pub fn varint(&mut self, mut value: u64) {
        loop {
            let low = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                self.bytes.push(low);
                return;
            }
            self.bytes.push(low | 0x80);
        }
    }

    pub fn u64(&mut self, value: u64) {
        self.bytes.extend(value.to_le_bytes());
    }

    pub fn u32(&mut self, value: u32) {
        self.bytes.extend(value.to_le_bytes());
    }

    pub fn f64(&mut self, value: f64) {
        self.bytes.extend(value.to_le_bytes());
    }

    pub fn f32(&mut self, value: f32) {
        self.bytes.extend(value.to_le_bytes());
    }

    /// The buffer as base64 text.
    pub fn text(&self) -> String {
        STANDARD.encode(&self.bytes)
    }
}

/// Why packed bytes could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PackError {
    #[error("packed data is not base64")]
    Base64,
    #[error("packed data ends early")]
    Short,
    #[error("packed data has a malformed number")]
    Number,
}

/// Reads bytes written by a [`Writer`].
#[derive(Debug)]
pub struct Reader {
    bytes: Vec<u8>,
    at: usize,
}

impl Reader {
    /// A reader of base64 `text`.
    pub fn of_text(text: &str) -> Result<Self, PackError> {
        let bytes = STANDARD.decode(text).map_err(|_| PackError::Base64)?;
        Ok(Self { bytes, at: 0 })
    }

    fn take<const N: usize>(&mut self) -> Result<[u8; N], PackError> {
        let end = self.at.checked_add(N).ok_or(PackError::Short)?;
        let slice = self.bytes.get(self.at..end).ok_or(PackError::Short)?;
        let mut out = [0; N];
        out.copy_from_slice(slice);
        self.at = end;
        Ok(out)
    }

    pub fn varint(&mut self) -> Result<u64, PackError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let [byte] = self.take::<1>()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(PackError::Number)
    }

    /// A count of things each at least `size` bytes long, checked against what is left, so
    /// damaged data cannot ask for a huge allocation.
    pub fn count(&mut self, size: usize) -> Result<usize, PackError> {
        let n = usize::try_from(self.varint()?).map_err(|_| PackError::Number)?;
        let left = self.bytes.len().saturating_sub(self.at);
        if n.saturating_mul(size.max(1)) > left {
            return Err(PackError::Short);
        }
        Ok(n)
    }

    pub fn u64(&mut self) -> Result<u64, PackError> {
        self.take().map(u64::from_le_bytes)
    }

    pub fn u32(&mut self) -> Result<u32, PackError> {
        self.take().map(u32::from_le_bytes)
    }

    pub fn f64(&mut self) -> Result<f64, PackError> {
        self.take().map(f64::from_le_bytes)
    }

    pub fn f32(&mut self) -> Result<f32, PackError> {
        self.take().map(f32::from_le_bytes)
    }

    /// Whether every byte was read.
    pub fn done(&self) -> bool {
        self.at == self.bytes.len()
    }
}

/// A whole number in `0..2^53` held in an `f64` (a count), as an integer.
pub fn whole(value: f64) -> Option<u64> {
    (value >= 0.0 && value.fract() == 0.0 && value < 9_007_199_254_740_992.0)
        .then_some(value as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let mut w = Writer::default();
        for v in [0, 1, 127, 128, 300, u64::MAX] {
            w.varint(v);
        }
        w.u64(0xdead_beef_0000_0001);
        w.f64(-1.5e-300);
        w.f32(f32::NAN);
        let mut r = Reader::of_text(&w.text()).unwrap();
        for v in [0, 1, 127, 128, 300, u64::MAX] {
            assert_eq!(r.varint().unwrap(), v);
        }
        assert_eq!(r.u64().unwrap(), 0xdead_beef_0000_0001);
        assert_eq!(r.f64().unwrap(), -1.5e-300);
        assert!(r.f32().unwrap().is_nan());
        assert!(r.done());
        assert_eq!(r.u32(), Err(PackError::Short));
    }

    #[test]
    fn refuses_damage() {
        assert_eq!(Reader::of_text("@@").unwrap_err(), PackError::Base64);
        let mut w = Writer::default();
        w.varint(1_000_000);
        let mut r = Reader::of_text(&w.text()).unwrap();
        assert_eq!(r.count(8), Err(PackError::Short));
        assert_eq!(whole(3.0), Some(3));
        assert_eq!(whole(0.5), None);
        assert_eq!(whole(-1.0), None);
    }
}
