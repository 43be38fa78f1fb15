//! Offence cases: a seizure opens one or joins an existing one, which gathers the declarations,
//! parties, officers and notes of an investigation. The CEN export is in [`cen`].

pub mod cen;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use tamga_core::codes::{Locode, PartyId};
use tamga_core::problem::Findings;
use tamga_core::FieldError;
use time::OffsetDateTime;

use crate::seizure::Seizure;
use crate::text;
use crate::transition::{IllegalTransition, Lifecycle};
use crate::UserId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaseState {
    Open,
    UnderInvestigation,
    /// Handed to the prosecutor: customs' part is done but the case is not closed.
    Referred,
    Closed,
}

impl Lifecycle for CaseState {
    const WHAT: &'static str = "an offence case";

    fn as_str(self) -> &'static str {
        match self {
            CaseState::Open => "open",
            CaseState::UnderInvestigation => "under-investigation",
            CaseState::Referred => "referred",
            CaseState::Closed => "closed",
        }
    }

    fn next(self) -> &'static [CaseState] {
        use CaseState::*;
        match self {
            Open => &[UnderInvestigation, Closed],
            UnderInvestigation => &[Referred, Closed],
            Referred => &[Closed],
            Closed => &[],
        }
    }
}

impl CaseState {
    pub const ALL: [CaseState; 4] = [
        CaseState::Open,
        CaseState::UnderInvestigation,
        CaseState::Referred,
        CaseState::Closed,
    ];
}

/// A dated note by an officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub by: UserId,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffenceCase {
    /// `{office}-{year}-{sequence:06}`, e.g. `UZTAS-2026-000042`.
    pub number: String,
    pub state: CaseState,
    pub office: Locode,
    #[serde(with = "time::serde::rfc3339")]
    pub opened_at: OffsetDateTime,
    pub seizures: BTreeSet<i64>,
    pub declarations: BTreeSet<String>,
    pub parties: BTreeSet<PartyId>,
    pub officers: BTreeSet<UserId>,
    pub notes: Vec<Note>,
}

/// The case number for the `sequence`-th case of `office` in `year`.
pub fn case_number(office: &Locode, year: i32, sequence: u32) -> String {
    format!("{office}-{year}-{sequence:06}")
}

/// Why a case refuses a change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    #[error(transparent)]
    Illegal(#[from] IllegalTransition),
    #[error("a closed case cannot take new seizures or notes")]
    Closed,
    #[error("invalid note: {0:?}")]
    Invalid(Vec<FieldError>),
}

impl OffenceCase {
    /// Opens a case for a seizure (stored as `seizure_id`) recorded by `officer`.
    pub fn open(
        number: String,
        seizure_id: i64,
        seizure: &Seizure,
        officer: UserId,
        at: OffsetDateTime,
    ) -> Self {
        let mut case = Self {
            number,
            state: CaseState::Open,
            office: seizure.office.clone(),
            opened_at: at,
            seizures: BTreeSet::new(),
            declarations: BTreeSet::new(),
            parties: BTreeSet::new(),
            officers: BTreeSet::new(),
            notes: Vec::new(),
        };
        case.take(seizure_id, seizure, officer);
        case
    }

    /// Joins a further seizure to the case, with its declaration, companies and officer.
    pub fn join(
        &mut self,
        seizure_id: i64,
        seizure: &Seizure,
        officer: UserId,
    ) -> Result<(), CaseError> {
        if self.state == CaseState::Closed {
            return Err(CaseError::Closed);
        }
        self.take(seizure_id, seizure, officer);
        Ok(())
    }

    fn take(&mut self, seizure_id: i64, seizure: &Seizure, officer: UserId) {
        self.seizures.insert(seizure_id);
        self.declarations.extend(seizure.mrn.iter().cloned());
        self.parties
            .extend(seizure.companies.iter().filter_map(|c| c.id.clone()));
        self.officers.insert(officer);
    }

    pub fn add_note(
        &mut self,
        by: UserId,
        at: OffsetDateTime,
        text: &str,
    ) -> Result<(), CaseError> {
        if self.state == CaseState::Closed {
            return Err(CaseError::Closed);
        }
        let mut out = Findings::default();
        text::required(&mut out, "/text", text, 4000);
        if !out.is_empty() {
            return Err(CaseError::Invalid(out.errors));
        }
        self.notes.push(Note {
            by,
            at,
            text: text.to_owned(),
        });
        self.officers.insert(by);
        Ok(())
    }

    pub fn move_to(&mut self, to: CaseState) -> Result<(), CaseError> {
        self.state = self.state.step(to)?;
        Ok(())
    }

    /// Masks what the retention period takes from a closed case: the text of every note,
    /// which officers write freely and so may name persons. Who wrote each note and when stay,
    /// as do the seizures, declarations, parties and officers the statistics and the CEN
    /// export count. Returns whether anything changed.
    pub fn mask_notes(&mut self) -> bool {
        let mut changed = false;
        for note in &mut self.notes {
            if note.text != crate::seizure::MASK {
                crate::seizure::MASK.clone_into(&mut note.text);
                changed = true;
            }
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn masking_takes_the_notes_text_and_keeps_who_and_when() {
        let at = datetime!(2026-01-05 10:00 UTC);
        let mut case = OffenceCase {
            number: "UZTAS-2026-000001".into(),
            state: CaseState::Closed,
            office: Locode::parse("UZTAS").unwrap(),
            opened_at: at,
            seizures: BTreeSet::from([7]),
            declarations: BTreeSet::new(),
            parties: BTreeSet::new(),
            officers: BTreeSet::from([UserId(3)]),
            notes: vec![Note {
                by: UserId(3),
                at,
                text: "driver Ali Valiyev, passport AA1234567".into(),
            }],
        };
        assert!(case.mask_notes());
        assert_eq!(case.notes[0].text, crate::seizure::MASK);
        assert_eq!((case.notes[0].by, case.notes[0].at), (UserId(3), at));
        assert_eq!(case.seizures, BTreeSet::from([7]));
        assert!(!case.mask_notes(), "a second masking changes nothing");
    }
}
