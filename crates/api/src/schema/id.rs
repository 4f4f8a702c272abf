//! Opaque global ids (`Node.id`): base64url of `Type:key`.

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use service::Error;
use service::resource::Key;

/// The kinds of node a global id can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeType {
    Organization,
    Person,
    Event,
    Agreement,
    Program,
    Student,
    JointUnit,
    Visit,
    Country,
    FieldOfStudy,
}

impl NodeType {
    const ALL: [NodeType; 10] = [
        NodeType::Organization,
        NodeType::Person,
        NodeType::Event,
        NodeType::Agreement,
        NodeType::Program,
        NodeType::Student,
        NodeType::JointUnit,
        NodeType::Visit,
        NodeType::Country,
        NodeType::FieldOfStudy,
    ];

    pub fn name(self) -> &'static str {
        match self {
            NodeType::Organization => "Organization",
            NodeType::Person => "Person",
            NodeType::Event => "Event",
            NodeType::Agreement => "Agreement",
            NodeType::Program => "Program",
            NodeType::Student => "Student",
            NodeType::JointUnit => "JointUnit",
            NodeType::Visit => "Visit",
            NodeType::Country => "Country",
            NodeType::FieldOfStudy => "FieldOfStudy",
        }
    }

    /// Whether the type is keyed by a code (reference data) rather than an id.
    fn coded(self) -> bool {
        matches!(self, NodeType::Country | NodeType::FieldOfStudy)
    }
}

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

/// Reads a global id; `field` names the argument for the error.
pub fn decode(id: &str, field: &str) -> Result<(NodeType, Key), Error> {
    let invalid = || Error::bad_input(field, format!("`{field}` is not a valid id"));
    let bytes = URL_SAFE_NO_PAD.decode(id).map_err(|_| invalid())?;
    let raw = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (name, key) = raw.split_once(':').ok_or_else(invalid)?;
    let ty = NodeType::ALL
        .into_iter()
        .find(|t| t.name() == name)
        .ok_or_else(invalid)?;
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
                service::agreement::with_article(ty.name())
            ),
        )),
    }
}
