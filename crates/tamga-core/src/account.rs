//! The rules of a user account, checked in one place for the command line, the API and the
//! administrator's screens: a name of 1 to 64 printable characters, one of the roles, and a party
//! exactly when the role acts for one (a declarant lodges in its party's name; customs staff act
//! for the administration, so a party on their account would only blur who they are).
//!
//! ```
//! use tamga_core::account::check;
//! use tamga_core::role::Role;
//!
//! assert!(check("broker", Role::Declarant, Some("UZ305123456")).is_ok());
//! let problems = check("", Role::Declarant, None).unwrap_err();
//! assert_eq!(problems.len(), 2);
//! assert!(check("officer1", Role::Officer, Some("UZ305123456")).is_err());
//! ```

use crate::codes::PartyId;
use crate::problem::Findings;
use crate::role::Role;
use crate::FieldError;

/// The roles an administrator gives over the API and the screens. A `post` account (a border
/// post's gate equipment) is bound to its office when it is made, on the server:
/// `tamga admin create-user NAME --role post --office LOCODE`; it never changes role.
pub const ASSIGNABLE: &[Role] = &[
    Role::Declarant,
    Role::Officer,
    Role::Analyst,
    Role::Lab,
    Role::Supervisor,
    Role::Admin,
];

/// The longest user name, in characters.
pub const MAX_NAME: usize = 64;

/// Checks a new account: its `name`, `role` and `party`, each problem at its JSON pointer.
pub fn check(name: &str, role: Role, party: Option<&str>) -> Result<(), Vec<FieldError>> {
    let mut findings = Findings::default();
    check_name(&mut findings, name);
    check_party(&mut findings, role, party);
    finish(findings)
}

/// Checks a role given over the API or a screen, to a new account or as a change (the name
/// stays): one of [`ASSIGNABLE`], with its party.
pub fn check_role(role: Role, party: Option<&str>) -> Result<(), Vec<FieldError>> {
    check_given(None, role, party)
}

/// Checks an account an administrator gives over the API or a screen: its name when it is a
/// new one, then a role of [`ASSIGNABLE`] with its party.
pub fn check_given(
    name: Option<&str>,
    role: Role,
    party: Option<&str>,
) -> Result<(), Vec<FieldError>> {
    let mut findings = Findings::default();
    if let Some(name) = name {
        check_name(&mut findings, name);
    }
    if !ASSIGNABLE.contains(&role) {
        let message = "a post's gate account is bound to its office on the server: \
                       tamga admin create-user NAME --role post --office LOCODE";
        findings.push("/role", "not_allowed", message);
    }
    check_party(&mut findings, role, party);
    finish(findings)
}

fn finish(findings: Findings) -> Result<(), Vec<FieldError>> {
    if findings.is_empty() {
        Ok(())
    } else {
        Err(findings.errors)
    }
}

fn check_name(findings: &mut Findings, name: &str) {
    let length = name.chars().count();
    if name.trim().is_empty() {
        findings.push("/name", "missing", "a user needs a name");
    } else if length > MAX_NAME {
        let message = format!("a user name has at most {MAX_NAME} characters, not {length}");
        findings.push("/name", "too_long", message);
    } else if name.trim() != name || name.chars().any(char::is_control) {
        let message = "a user name has no leading or trailing spaces and no control characters";
        findings.push("/name", "invalid", message);
    }
}

fn check_party(findings: &mut Findings, role: Role, party: Option<&str>) {
    match (role, party) {
        (Role::Declarant, None) => findings.push(
            "/party_id",
            "missing",
            "a declarant needs the party (TIN or EORI) it acts for",
        ),
        (Role::Declarant, Some(party)) => {
            if let Err(e) = PartyId::parse(party) {
                findings.push("/party_id", "invalid", format!("{party:?}: {e}"));
            }
        }
        (_, Some(_)) => findings.push(
            "/party_id",
            "not_allowed",
            format!(
                "only a declarant acts for a party, not a user with role {}",
                role.as_str()
            ),
        ),
        (_, None) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_is_named() {
        let long = "x".repeat(MAX_NAME + 1);
        let problems = check(&long, Role::Declarant, Some("not a party!")).unwrap_err();
        let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
        assert_eq!(pointers, ["/name", "/party_id"]);
        assert_eq!(problems[0].code, "too_long");
    }

    #[test]
    fn staff_have_no_party_and_names_are_clean() {
        assert!(check("super1", Role::Supervisor, None).is_ok());
        assert!(check(" padded", Role::Officer, None).is_err());
        assert!(check("tab\tname", Role::Officer, None).is_err());
        assert_eq!(
            check_role(Role::Lab, Some("UZ305123456")).unwrap_err()[0].code,
            "not_allowed"
        );
        assert!(check_role(Role::Declarant, Some("UZ305123456")).is_ok());
        assert_eq!(
            check_role(Role::Post, None).unwrap_err()[0].pointer,
            "/role"
        );
        assert!(
            check("gate1", Role::Post, None).is_ok(),
            "the CLI binds posts to offices"
        );
    }
}
