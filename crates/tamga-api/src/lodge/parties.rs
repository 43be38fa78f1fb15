//! The pipeline's party steps. Before validation, a party named by its registered identifier
//! alone (no name) takes its name, country and address from the party registry; an identifier
//! the registry does not know is refused at the party's `/id`. After validation, a declarant
//! account acting as the declaration's representative must hold a mandate from the declarant
//! valid on the day of acceptance. Each step reads the store only when the draft needs it: a
//! party without a name, or a representative who is not the declarant.

use std::borrow::Cow;

use tamga_core::draft::{DeclarationDraft, PartyDraft};
use tamga_core::party::{mandate_on, MandateTerms, Representation};
use tamga_core::role::Role;
use tamga_core::{Declaration, FieldError};
use tamga_store::parties::MandateRecord;
use tamga_store::{Store, StoreError, User};
use time::Date;

/// The draft with its identifier-only parties filled in from the registry, and a problem for
/// each identifier the registry does not know.
pub(super) struct Resolved<'a> {
    pub draft: Cow<'a, DeclarationDraft>,
    /// JSON pointers of the parties refused as unregistered (`/importer`, ...).
    pub unregistered: Vec<FieldError>,
}

/// Fills in every party given by identifier only.
pub(super) async fn resolve<'a>(
    store: &dyn Store,
    draft: &'a DeclarationDraft,
) -> Result<Resolved<'a>, StoreError> {
    let mut resolved = Resolved {
        draft: Cow::Borrowed(draft),
        unregistered: Vec::new(),
    };
    for (pointer, party) in parties(draft) {
        let Some(id) = identifier_only(party) else {
            continue;
        };
        match store.party(id).await? {
            Some(found) => {
                let target = slot(resolved.draft.to_mut(), pointer);
                if let Some(target) = target {
                    target.name = Some(found.name);
                    target.country = target.country.take().or(Some(found.country));
                    target.address = target.address.take().or(found.address);
                }
            }
            None => resolved.unregistered.push(not_registered(pointer, id)),
        }
    }
    Ok(resolved)
}

/// Every party of the draft with its pointer.
fn parties(draft: &DeclarationDraft) -> impl Iterator<Item = (&'static str, &PartyDraft)> {
    [
        ("/declarant", draft.declarant.as_ref()),
        ("/importer", draft.importer.as_ref()),
        ("/exporter", draft.exporter.as_ref()),
        ("/representative", draft.representative.as_ref()),
    ]
    .into_iter()
    .filter_map(|(pointer, party)| Some((pointer, party?)))
}

fn slot<'d>(draft: &'d mut DeclarationDraft, pointer: &str) -> Option<&'d mut PartyDraft> {
    match pointer {
        "/declarant" => draft.declarant.as_mut(),
        "/importer" => draft.importer.as_mut(),
        "/exporter" => draft.exporter.as_mut(),
        "/representative" => draft.representative.as_mut(),
        _ => None,
    }
}

/// The identifier of a party that gives one and no name. A malformed identifier is left for
/// validation to describe.
fn identifier_only(party: &PartyDraft) -> Option<&str> {
    let id = party.id.as_deref()?.trim();
    let unnamed = party.name.as_deref().is_none_or(|n| n.trim().is_empty());
    (unnamed && tamga_core::codes::PartyId::parse(id).is_ok()).then_some(id)
}

fn not_registered(pointer: &str, id: &str) -> FieldError {
    FieldError::new(
        format!("{pointer}/id"),
        "party_not_registered",
        format!(
            "{id} is not a registered party: give the party's name and country, or have it registered"
        ),
    )
}

/// Validation's findings with the unregistered parties' problems in place of the missing
/// name and country it reports for them.
pub(super) fn merge(unregistered: Vec<FieldError>, findings: Vec<FieldError>) -> Vec<FieldError> {
    let refused: Vec<String> = unregistered
        .iter()
        .filter_map(|e| e.pointer.strip_suffix("/id").map(str::to_owned))
        .collect();
    let explained = |e: &FieldError| {
        e.code == "missing"
            && refused
                .iter()
                .any(|p| e.pointer == format!("{p}/name") || e.pointer == format!("{p}/country"))
    };
    let mut errors = unregistered;
    errors.extend(findings.into_iter().filter(|e| !explained(e)));
    errors
}

/// A declarant account acting as the declaration's representative (and not its declarant)
/// needs a mandate from the declarant valid on `day`. Staff are not bound by mandates.
pub(super) async fn check_mandate(
    store: &dyn Store,
    user: &User,
    declaration: &Declaration,
    day: Date,
) -> Result<Result<(), Vec<FieldError>>, StoreError> {
    let (Role::Declarant, Some(party)) = (user.role, user.party_id.as_deref()) else {
        return Ok(Ok(()));
    };
    let principal = declaration.declarant.id.as_str();
    let acts_as_representative = declaration
        .representative
        .as_ref()
        .is_some_and(|r| r.id.as_str() == party);
    if principal == party || !acts_as_representative {
        return Ok(Ok(()));
    }
    let mandates = store.mandates_between(principal, party).await?;
    let terms: Vec<MandateTerms> = mandates.iter().filter_map(terms).collect();
    let wanted = declaration.representation;
    Ok(mandate_on(&terms, wanted, day).map_err(|refusal| {
        vec![FieldError::new(
            "/representative/id",
            "no_mandate",
            refusal.message(principal, party, wanted),
        )]
    }))
}

fn terms(record: &MandateRecord) -> Option<MandateTerms> {
    Some(MandateTerms {
        representation: Representation::parse(&record.representation)?,
        valid_from: record.valid_from,
        valid_until: record.valid_until,
    })
}
