//! The answers every handler of a kind can give, documented once as shared responses
//! (`#/components/responses/...`) and referenced from each operation that can give them,
//! unless the operation documents that status itself:
//!
//! | the operation | can answer |
//! |---|---|
//! | needs a token | 401 (no or bad token), 403 (role), 429 (authentication failures) |
//! | has path parameters | 400 (a parameter of the wrong type), 404 (no such resource), 422 (control characters) |
//! | has query parameters | 400 (unreadable), 422 (control characters) |
//! | has a body | 400 (unreadable), 413, 415, 422 (wrong shape, invalid data) |

use utoipa::openapi::header::Header;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::{ContentBuilder, Object, Ref, RefOr, Response, ResponseBuilder, Type};
use utoipa::Modify;

pub(crate) struct SharedResponses;

const SHARED: &[(&str, &str)] = &[
    ("400", "BadRequest"),
    ("401", "Unauthorized"),
    ("403", "Forbidden"),
    ("404", "NotFound"),
    ("413", "PayloadTooLarge"),
    ("415", "UnsupportedMediaType"),
    ("422", "Unprocessable"),
    ("429", "TooManyRequests"),
];

fn problem(description: &str) -> ResponseBuilder {
    ResponseBuilder::new().description(description).content(
        "application/problem+json",
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("Problem")))
            .build(),
    )
}

fn shared(name: &str) -> Response {
    match name {
        "BadRequest" => problem("A body, path or query parameter that cannot be read"),
        "Unauthorized" => problem("No token, or a token that is not valid"),
        "Forbidden" => problem("The caller's role may not do this"),
        "NotFound" => problem("No such resource"),
        "PayloadTooLarge" => problem("The body is larger than the server accepts"),
        "UnsupportedMediaType" => problem("The body is not of a media type the operation reads"),
        "Unprocessable" => problem(
            "Well-formed input that is invalid (a wrong type, a value out of range, control characters); every offending field is named by JSON pointer",
        ),
        _ => problem("Too many requests (failed authentications or lodgements); wait for Retry-After")
            .header(
                "Retry-After",
                Header::new(Object::with_type(Type::Integer)),
            ),
    }
    .build()
}

fn statuses(operation: &Operation) -> Vec<&'static str> {
    let parameters = operation.parameters.iter().flatten();
    let has = |place: ParameterIn| parameters.clone().any(|p| p.parameter_in == place);
    let (path, query) = (has(ParameterIn::Path), has(ParameterIn::Query));
    let body = operation.request_body.is_some();
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let mut out = Vec::new();
    if path || query || body {
        out.push("400");
    }
    if secured {
        out.extend(["401", "403", "429"]);
    }
    if path {
        out.push("404");
    }
    if body {
        out.extend(["413", "415"]);
    }
    if path || query || body {
        out.push("422");
    }
    out
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .flatten()
}

impl Modify for SharedResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (_, name) in SHARED {
            components
                .responses
                .insert((*name).to_owned(), RefOr::T(shared(name)));
        }
        for item in openapi.paths.paths.values_mut() {
            for operation in operations(item) {
                for status in statuses(operation) {
                    let name = SHARED.iter().find(|(s, _)| *s == status).map(|(_, n)| *n);
                    let Some(name) = name else { continue };
                    operation
                        .responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
                }
            }
        }
    }
}
