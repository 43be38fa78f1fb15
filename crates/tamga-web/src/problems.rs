//! The problems of a refused form, by JSON pointer: what the API's handler said about each
//! field, shown next to that field and in the summary at the top of the page.

use tamga_api::error::ApiError;
use tamga_core::FieldError;

use crate::error::WebError;
use crate::i18n::Tr;

#[derive(Debug, Default)]
pub(crate) struct Problems(pub Vec<FieldError>);

impl Problems {
    /// The first problem of the field at `pointer`.
    pub fn at(&self, pointer: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.pointer == pointer)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems of an API refusal; one that names no field is shown at the top (`/`).
    /// A refusal that is not the caller's to mend (a 404, a 500) is a page of its own.
    pub fn of(error: ApiError, tr: Tr) -> Result<Problems, WebError> {
        match error {
            ApiError::Invalid(errors) | ApiError::BadRequest { errors, .. }
                if !errors.is_empty() =>
            {
                Ok(Problems(tr.problems(errors)))
            }
            other => {
                let message = WebError::alert(tr, other)?;
                Ok(Problems(vec![FieldError::new("/", "refused", message)]))
            }
        }
    }

    /// One problem the page found itself, at `pointer`.
    pub fn one(pointer: &str, code: &str, message: String) -> Problems {
        Problems(vec![FieldError::new(pointer, code, message)])
    }
}
