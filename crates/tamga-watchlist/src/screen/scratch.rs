//! Per-thread working memory of a query: the accumulated bound of every touched name.
//!
//! A screener is shared between threads and immutable, so the accumulators live in a
//! thread-local buffer sized to the largest screener seen and cleared after each query by
//! walking only the names that query touched.

use std::cell::RefCell;

use crate::similarity::MAX_TOKENS;

/// Jaro-Winkler of every query token against one listed token.
pub(crate) type SimRow = [f64; MAX_TOKENS];

#[derive(Debug, Default)]
pub(crate) struct Scratch {
    bound: Vec<f64>,
    /// 1 + the index of the last query token that added to a name; 0 for untouched.
    last_token: Vec<u8>,
    touched: Vec<u32>,
    /// Per listed token id, its [`SimRow`] against the current query, valid when the matching
    /// `row_query` equals `query`: common tokens recur in many candidates.
    rows: Vec<SimRow>,
    row_query: Vec<u32>,
    query: u32,
}

impl Scratch {
    fn prepare(&mut self, names: usize, tokens: usize) {
        if self.bound.len() < names {
            self.bound.resize(names, 0.0);
            self.last_token.resize(names, 0);
        }
        if self.rows.len() < tokens {
            self.rows.resize(tokens, [0.0; MAX_TOKENS]);
            self.row_query.resize(tokens, 0);
        }
        self.query = self.query.wrapping_add(1);
        if self.query == 0 {
            // After 2^32 queries the stamps could collide: start afresh.
            self.row_query.iter_mut().for_each(|q| *q = 0);
            self.query = 1;
        }
    }

    /// The similarities of the query tokens to listed token `token`, computed by `compute` the
    /// first time this query asks.
    pub(crate) fn row(&mut self, token: u32, compute: impl FnOnce() -> SimRow) -> SimRow {
        let index = token as usize;
        match (self.row_query.get_mut(index), self.rows.get_mut(index)) {
            (Some(stamp), Some(row)) => {
                if *stamp != self.query {
                    *row = compute();
                    *stamp = self.query;
                }
                *row
            }
            _ => compute(),
        }
    }

    /// Adds `value` for query token `token` to `name`, once per token: the caller offers the
    /// most similar listed token first, so the first offer is the best.
    pub(crate) fn add(&mut self, name: u32, token: usize, value: f64) {
        let mark = u8::try_from(token + 1).unwrap_or(u8::MAX);
        let index = name as usize;
        let (Some(last), Some(bound)) = (self.last_token.get_mut(index), self.bound.get_mut(index))
        else {
            return;
        };
        if *last == mark {
            return;
        }
        if *last == 0 {
            self.touched.push(name);
        }
        *last = mark;
        *bound += value;
    }

    /// Every touched name with its bound.
    pub(crate) fn touched(&self) -> impl Iterator<Item = (u32, f64)> + '_ {
        self.touched
            .iter()
            .map(|&n| (n, self.bound.get(n as usize).copied().unwrap_or(0.0)))
    }

    fn clear(&mut self) {
        for &n in &self.touched {
            if let Some(b) = self.bound.get_mut(n as usize) {
                *b = 0.0;
            }
            if let Some(l) = self.last_token.get_mut(n as usize) {
                *l = 0;
            }
        }
        self.touched.clear();
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `f` with a cleared scratch for `names` names and `tokens` listed tokens.
pub(crate) fn with_scratch<T>(names: usize, tokens: usize, f: impl FnOnce(&mut Scratch) -> T) -> T {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            scratch.prepare(names, tokens);
            let result = f(&mut scratch);
            scratch.clear();
            result
        }
        // Only when `f` itself screens again on this thread: use a private buffer.
        Err(_) => {
            let mut own = Scratch::default();
            own.prepare(names, tokens);
            f(&mut own)
        }
    })
}
