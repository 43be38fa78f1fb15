//! The lodgement's check of a transit declaration's guarantee references against the
//! guarantee accounts: each GRN of a type that declares an amount must be an account whose
//! access code matches, of the declared type and currency, held by the declarant. Balances are
//! reserved later, on release for transit.

use tamga_core::draft::DeclarationDraft;
use tamga_core::{Declaration, FieldError};
use tamga_store::{Store, StoreError};

/// Every problem with the guarantee references of `declaration` (validated from `draft`, so
/// both list the same guarantees and references in the same order).
pub(crate) async fn check_guarantees(
    store: &dyn Store,
    draft: &DeclarationDraft,
    declaration: &Declaration,
) -> Result<Vec<FieldError>, StoreError> {
    let mut errors = Vec::new();
    let (Some(particulars), Some(submitted)) = (&declaration.transit, &draft.transit) else {
        return Ok(errors);
    };
    for (i, (guarantee, given)) in particulars
        .guarantees
        .iter()
        .zip(&submitted.guarantees)
        .enumerate()
    {
        if !guarantee.guarantee_type.has_amount() {
            continue;
        }
        for (j, (reference, raw)) in guarantee
            .references
            .iter()
            .zip(&given.references)
            .enumerate()
        {
            let at = format!("/transit/guarantees/{i}/references/{j}");
            let code = raw.access_code.as_deref().unwrap_or_default();
            let Some(account) = store
                .guarantee_with_access_code(&reference.grn, code)
                .await?
            else {
                errors.push(FieldError::new(
                    format!("{at}/access_code"),
                    "guarantee_unknown",
                    format!("no guarantee {} with this access code", reference.grn),
                ));
                continue;
            };
            if account.guarantee_type != guarantee.guarantee_type {
                errors.push(FieldError::new(
                    format!("/transit/guarantees/{i}/type"),
                    "guarantee_type_mismatch",
                    format!(
                        "guarantee {} is of type {}",
                        account.grn,
                        account.guarantee_type.as_str()
                    ),
                ));
            }
            if reference
                .currency
                .as_ref()
                .is_some_and(|c| *c != account.currency)
            {
                errors.push(FieldError::new(
                    format!("{at}/currency"),
                    "currency_mismatch",
                    format!("guarantee {} is held in {}", account.grn, account.currency),
                ));
            }
            if account.holder != declaration.declarant.id.as_str() {
                errors.push(FieldError::new(
                    format!("{at}/grn"),
                    "guarantee_holder",
                    format!("guarantee {} is not held by the declarant", account.grn),
                ));
            }
        }
    }
    Ok(errors)
}
