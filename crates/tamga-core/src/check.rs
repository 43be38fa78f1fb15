//! The ISO 6346 check-character algorithm, shared by container numbers and MRNs.
//!
//! Digits count as their value; letters count from A = 10 upwards, skipping the multiples of 11
//! (so A = 10, B = 12, ..., K = 21, L = 23, ..., U = 32, V = 34, ..., Z = 38). Character `i`
//! (from 0) is weighted by 2^i; the weighted sum modulo 11 gives the check value, and 10 is
//! written as 0. The EU uses the same algorithm for the check character of its MRNs.

/// The numeric equivalent of one character, or `None` for anything but `0-9` and `A-Z`.
pub fn char_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => {
            let mut value = 10;
            for _ in b'A'..c {
                value += 1;
                if value % 11 == 0 {
                    value += 1;
                }
            }
            Some(value)
        }
        _ => None,
    }
}

/// The ISO 6346 check digit (0-9) of `body`, or `None` if a character has no value.
pub fn check_digit(body: &str) -> Option<u8> {
    let mut sum: u64 = 0;
    for (i, c) in body.bytes().enumerate() {
        let weight = 1u64.checked_shl(u32::try_from(i).ok()?)?;
        sum += u64::from(char_value(c)?) * weight;
    }
    let digit = (sum % 11) % 10;
    u8::try_from(digit).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_values_skip_multiples_of_eleven() {
        let expected = [
            10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 34,
            35, 36, 37, 38,
        ];
        let got: Vec<u32> = (b'A'..=b'Z').filter_map(char_value).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn known_container_check_digit() {
        // CSQU305438 3 is the example of ISO 6346 itself.
        assert_eq!(check_digit("CSQU305438"), Some(3));
    }
}
