//! GraphQL's input coercion (spec §3.5–§3.10, "Input Coercion"), checked
//! before anything runs: a value of the wrong kind for its type — a string
//! where a filter object goes, a list for a single value, a string for an
//! enum in a document, `null` for a non-null type, an object missing a
//! required field — is a request error naming the argument, what was given
//! and what is expected, with a hint where the form is one another server
//! accepts (`orderBy: [NAME_ASC]`, `countryCode: "DE"`). async-graphql's own
//! validation lets several of these through to the resolvers, which can only
//! fail them as internal errors.

use super::Refusal;
use super::inputs::{InputView, View};
use super::types::{Kind, NamedType, SchemaTypes, TypeRef};

/// Whether `view` may stand for `ty` at `path`; the type to walk it with (a
/// single value given for a list stands for its one item). `json`: the value
/// is a variable's, where enum values are strings.
pub(super) fn coerce<'t, V: InputView>(
    types: &'t SchemaTypes,
    json: bool,
    view: &View<'_, V>,
    ty: &'t TypeRef,
    path: &str,
) -> Result<&'t TypeRef, Refusal> {
    let inner = match ty {
        TypeRef::NonNull(inner) => {
            if matches!(view, View::Null) {
                return Err(wrong(path, &expected(types, ty), view, ""));
            }
            inner.as_ref()
        }
        ty => ty,
    };
    match (inner, view) {
        (_, View::Variable(_) | View::Null) => Ok(inner),
        (TypeRef::List(_), View::List(_)) => Ok(inner),
        // One value for a list: the list of that one value.
        (TypeRef::List(item), _) => coerce(types, json, view, item, path),
        (TypeRef::NonNull(_), _) => Ok(inner),
        (TypeRef::Named(name), view) => {
            let Some(named) = types.get(name) else {
                return Ok(inner);
            };
            let fits = match named.kind {
                Kind::Scalar => scalar_fits(name, view),
                Kind::Enum => match view {
                    View::Enum(value) => {
                        return known_value(named, name, value, path, view).map(|()| inner);
                    }
                    View::Text(value) if json => {
                        return known_value(named, name, value, path, view).map(|()| inner);
                    }
                    _ => false,
                },
                Kind::InputObject => match view {
                    View::Object(fields) => {
                        object_fits(named, name, fields, path)?;
                        true
                    }
                    _ => false,
                },
                _ => true,
            };
            if fits {
                Ok(inner)
            } else {
                let hint = hint(types, named, view, path);
                Err(wrong(path, &expected(types, inner), view, &hint))
            }
        }
    }
}

fn scalar_fits<V>(name: &str, view: &View<'_, V>) -> bool {
    match (name, view) {
        ("Int", View::Number(n)) => n.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        ("Float", View::Number(_)) => true,
        ("String", View::Text(_)) => true,
        ("Boolean", View::Boolean) => true,
        ("ID", View::Text(_)) => true,
        ("ID", View::Number(n)) => n.as_i64().is_some(),
        ("Date", View::Text(s)) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
        ("DateTime", View::Text(s)) => chrono::DateTime::parse_from_rfc3339(s).is_ok(),
        ("Int" | "Float" | "String" | "Boolean" | "ID" | "Date" | "DateTime", _) => false,
        // JSON and any other scalar take what they are given.
        _ => true,
    }
}

fn known_value<V>(
    named: &NamedType,
    name: &str,
    value: &str,
    path: &str,
    view: &View<'_, V>,
) -> Result<(), Refusal> {
    if named.enum_values.iter().any(|v| v == value) {
        return Ok(());
    }
    let hint = match named
        .enum_values
        .iter()
        .find(|v| v.eq_ignore_ascii_case(value))
    {
        Some(v) => format!("; enum values are written in capitals: {v}"),
        None => String::new(),
    };
    Err(wrong(
        path,
        &format!(
            "a value of the enum `{name}` ({})",
            listed(&named.enum_values)
        ),
        view,
        &hint,
    ))
}

fn object_fits<V: InputView>(
    named: &NamedType,
    name: &str,
    fields: &[(&str, &V)],
    path: &str,
) -> Result<(), Refusal> {
    for (key, _) in fields {
        if named.input_field(key).is_none() {
            let known: Vec<String> = named.input_fields.iter().map(|f| f.name.clone()).collect();
            return Err(Refusal::bad_input(format!(
                "`{path}` has no field `{key}`: `{name}` has {}",
                listed(&known)
            ))
            .at(format!("{path}.{key}")));
        }
    }
    for field in &named.input_fields {
        let given = fields.iter().any(|(key, _)| *key == field.name);
        if !given && matches!(field.ty, TypeRef::NonNull(_)) && !field.has_default {
            return Err(Refusal::bad_input(format!(
                "`{path}.{}` is required: `{name}` needs a value of type `{}` there",
                field.name, field.ty
            ))
            .at(format!("{path}.{}", field.name)));
        }
    }
    Ok(())
}

/// What another server's clients write, turned into ours.
fn hint<V>(types: &SchemaTypes, named: &NamedType, view: &View<'_, V>, path: &str) -> String {
    let argument = path
        .rsplit('.')
        .next()
        .unwrap_or(path)
        .split('[')
        .next()
        .unwrap_or(path);
    match named.kind {
        // An order: `NAME_ASC` or `NAME` where `{ field: NAME, direction: ASC }` goes.
        Kind::InputObject
            if named.input_field("field").is_some() && named.input_field("direction").is_some() =>
        {
            let (View::Enum(written) | View::Text(written)) = view else {
                return String::new();
            };
            let (field, direction) = match written.rsplit_once('_') {
                Some((field, dir @ ("ASC" | "DESC"))) => (field, dir),
                _ => (*written, "ASC"),
            };
            let fields = named
                .input_field("field")
                .and_then(|f| types.get(f.ty.name()))
                .map(|t| t.enum_values.clone())
                .unwrap_or_default();
            if fields.iter().any(|f| f == field) {
                format!("; write {argument}: [{{ field: {field}, direction: {direction} }}]")
            } else {
                format!(
                    "; write {argument}: [{{ field: …, direction: ASC }}] with a field of {}",
                    listed(&fields)
                )
            }
        }
        // An operator object: `"DE"` where `{ eq: "DE" }` goes.
        Kind::InputObject if named.input_field("eq").is_some() => match view {
            View::Text(_) => format!("; write {argument}: {{ eq: \"…\" }}"),
            View::Number(_) | View::Boolean | View::Enum(_) => {
                format!("; write {argument}: {{ eq: … }}")
            }
            _ => String::new(),
        },
        Kind::Enum => match view {
            // The value is the schema's own name: showing it echoes nothing.
            View::Text(s) if named.enum_values.iter().any(|v| v == s) => {
                format!("; in a query an enum value is written without quotes: {s}")
            }
            _ => String::new(),
        },
        _ => String::new(),
    }
}

fn wrong<V>(path: &str, expected: &str, view: &View<'_, V>, hint: &str) -> Refusal {
    Refusal::bad_input(format!(
        "`{path}` expects {expected}, got {}{hint}",
        given(view)
    ))
    .at(path)
}

/// What a type asks for, in words.
fn expected(types: &SchemaTypes, ty: &TypeRef) -> String {
    let kind = match ty {
        TypeRef::NonNull(inner) if matches!(inner.as_ref(), TypeRef::List(_)) => "a list",
        TypeRef::List(_) => "a list",
        _ => match types.get(ty.name()).map(|t| &t.kind) {
            Some(Kind::InputObject) => "an object",
            Some(Kind::Enum) => "a value of the enum",
            _ => match ty.name() {
                "Int" => "a whole number (32-bit)",
                "Float" => "a number",
                "String" | "ID" => "a string",
                "Boolean" => "true or false",
                "Date" => "a date (YYYY-MM-DD)",
                "DateTime" => "a date and time (RFC 3339)",
                _ => "a value",
            },
        },
    };
    if kind.ends_with("enum") {
        return format!("{kind} `{}`", ty);
    }
    format!("{kind} of type `{}`", ty)
}

/// What was given, in words: its kind, never the value (an echoed value is
/// a reflection channel, see `tests/no_echo.rs`).
fn given<V>(view: &View<'_, V>) -> &'static str {
    match view {
        View::Text(_) => "a string",
        View::Number(_) => "a number",
        View::Boolean => "a boolean",
        View::Enum(_) => "an enum value",
        View::List(_) => "a list",
        View::Object(_) => "an object",
        View::Null => "null",
        View::Variable(_) => "a variable",
        View::Other => "a value of another kind",
    }
}

/// A few names, then how many more.
fn listed(names: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(", … ({} in all)", names.len()));
    }
    text
}
