//! Border posts: the `[posts]` settings handed to the HTTP edge, and the office a new `post`
//! account (a post's gate equipment) is bound to.

use anyhow::bail;
use rust_decimal::Decimal;
use tamga_core::codes::Locode;
use tamga_core::refdata::ReferenceData;
use tamga_core::role::Role;

use crate::settings::PostsSection;

/// What the HTTP edge takes from `[posts]`.
pub fn api_settings(posts: &PostsSection) -> anyhow::Result<tamga_api::posts::PostSettings> {
    let tolerance = posts.weight_tolerance_percent;
    anyhow::ensure!(
        tolerance > Decimal::ZERO && tolerance <= Decimal::ONE_HUNDRED,
        "posts.weight_tolerance_percent must be more than 0 and at most 100, got {tolerance}"
    );
    anyhow::ensure!(
        posts.expected_days >= 1,
        "posts.expected_days must be at least 1"
    );
    Ok(tamga_api::posts::PostSettings {
        weight_tolerance_percent: tolerance,
        expected_days: posts.expected_days,
    })
}

/// The office a new user of `role` is bound to: a post needs `--office`, a known customs
/// office; nobody else takes one.
pub fn office_of_new_user(role: Role, office: Option<&str>) -> anyhow::Result<Option<String>> {
    match (role, office) {
        (Role::Post, None) => {
            bail!("a post needs --office LOCODE: the customs office its gate equipment stands at")
        }
        (Role::Post, Some(office)) => {
            let code = Locode::parse(office)
                .map_err(|e| anyhow::anyhow!("--office {office:?}: {}", e.message))?;
            if !ReferenceData::embedded()
                .offices
                .iter()
                .any(|o| o.code == code.as_str())
            {
                bail!("--office {office:?} is not a customs office tamga knows");
            }
            Ok(Some(code.as_str().to_owned()))
        }
        (_, Some(_)) => bail!("--office is for posts (--role post) only"),
        (_, None) => Ok(None),
    }
}
