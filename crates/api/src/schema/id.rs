//! Opaque global ids (`Node.id`): base64url of `Type:key`.

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use service::Error;
use service::query::resource::Key;

pub use entity::NodeType;

/// The global id of a row.
pub fn encode(ty: NodeType, key: &Key) -> ID {
    let raw = match key {
        Key::Id(id) => format!("{}:{id}", ty.name()),
        Key::Code(code) => format!("{}:{}", ty.name(), code.trim_end()),
    };
    ID(URL_SAFE_NO_PAD.encode(raw))
}

/// The global id of a row keyed by a surrogate id.
pub fn encode_id(ty: NodeType, id: i64) -> ID {
    encode(ty, &Key::Id(id))
}

/// Reads a global id; `field` names the argument for the error. Ids are
/// produced in URL-safe base64 without padding; standard base64 (what
/// `btoa()` gives) and padded forms of the same bytes are accepted too.
pub fn decode(id: &str, field: &str) -> Result<(NodeType, Key), Error> {
    let invalid = || Error::bad_input(field, format!("`{field}` is not a valid id"));
    let canonical: String = id
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    let bytes = URL_SAFE_NO_PAD.decode(canonical).map_err(|_| invalid())?;
    let raw = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (name, key) = raw.split_once(':').ok_or_else(invalid)?;
    let ty = NodeType::from_name(name).ok_or_else(invalid)?;
    let key = if ty.coded() {
        if key.is_empty() {
            return Err(invalid());
        }
        Key::Code(key.to_owned())
    } else {
        Key::Id(key.parse().map_err(|_| invalid())?)
    };
    Ok((ty, key))
}

/// Reads a global id that must name a row of type `ty`.
pub fn decode_as(id: &str, ty: NodeType, field: &str) -> Result<Key, Error> {
    match decode(id, field)? {
        (found, key) if found == ty => Ok(key),
        _ => Err(Error::bad_input(
            field,
            format!(
                "`{field}` must be the id of {}",
                service::text::with_article(ty.name())
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE};

    #[test]
    fn ids_in_any_base64_form_decode_to_the_same_row() {
        // "Country:~x" encodes to `+` in the standard alphabet, `-` in the URL-safe one.
        for ty_key in [
            "Agreement:7",
            "Organization:1023",
            "Country:DE",
            "Country:~x",
        ] {
            let canonical = URL_SAFE_NO_PAD.encode(ty_key);
            for form in [
                canonical.clone(),
                URL_SAFE.encode(ty_key),
                STANDARD.encode(ty_key),
                STANDARD_NO_PAD.encode(ty_key),
            ] {
                assert_eq!(
                    decode(&form, "id").expect(&form),
                    decode(&canonical, "id").expect("canonical"),
                    "{form}"
                );
            }
        }
    }

    #[test]
    fn the_encoding_is_canonical_and_round_trips() {
        let id = encode_id(NodeType::Person, 1023);
        assert!(!id.contains(['=', '+', '/']), "{}", id.0);
        assert_eq!(
            decode(&id, "id").expect("decodes"),
            (NodeType::Person, Key::Id(1023))
        );
    }

    #[test]
    fn garbage_is_not_an_id() {
        for id in [
            "",
            "!!!",
            "T3JnYW5pemF0aW9u",
            "Tm9wZToxMjM",
            "QWdyZWVtZW50Ong",
        ] {
            assert!(decode(id, "id").is_err(), "{id}");
        }
    }
}
