//! The party registry's AEO holders in the engine: they join the named list the selectivity
//! settings call the AEO register (`aeo-register` unless changed), so the AEO reduction and a
//! profile's `aeo` condition see a status an administrator sets on a party without anyone
//! editing the list by hand. Entries analysts put in the list by hand still count.

use tamga_risk::fields::ListKind;
use tamga_risk::lists::NamedList;
use tamga_store::{Store, StoreError};

/// The identifiers of registered parties holding AEO status, sorted.
pub(super) async fn holders(store: &dyn Store) -> Result<Vec<String>, StoreError> {
    Ok(store
        .parties(true)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect())
}

/// A signature entry that changes whenever the set of holders changes, so a server rebuilds
/// its engine when another one changed the registry.
pub(super) fn signature(holders: &[String]) -> (String, String, u32) {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut h = DefaultHasher::new();
    holders.hash(&mut h);
    let count = u32::try_from(holders.len()).unwrap_or(u32::MAX);
    (
        "party-registry".into(),
        format!("aeo-{:016x}", h.finish()),
        count,
    )
}

/// Adds the holders to the list named `register`, making it when no analyst has.
pub(super) fn merge(lists: &mut Vec<NamedList>, register: &str, holders: Vec<String>) {
    if holders.is_empty() {
        return;
    }
    match lists.iter_mut().find(|l| l.name == register) {
        Some(list) => list.entries.extend(holders),
        None => lists.push(NamedList {
            name: register.to_owned(),
            kind: ListKind::Parties,
            entries: holders,
        }),
    }
}
