//! What the guard knows of the schema: every type with its fields, their
//! argument types and list-ness, read once from the schema's own SDL (plus the
//! introspection types the spec defines, which the SDL leaves out).

use std::collections::HashMap;

use async_graphql::parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};

/// A type reference with its wrappers (`[Agreement!]!`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeRef {
    Named(String),
    List(Box<TypeRef>),
    NonNull(Box<TypeRef>),
}

impl TypeRef {
    pub fn of_parsed(ty: &Type) -> TypeRef {
        let inner = match &ty.base {
            BaseType::Named(name) => TypeRef::Named(name.to_string()),
            BaseType::List(item) => TypeRef::List(Box::new(TypeRef::of_parsed(item))),
        };
        if ty.nullable {
            inner
        } else {
            TypeRef::NonNull(Box::new(inner))
        }
    }

    /// The named type under the wrappers.
    pub fn name(&self) -> &str {
        match self {
            TypeRef::Named(name) => name,
            TypeRef::List(inner) | TypeRef::NonNull(inner) => inner.name(),
        }
    }

    /// True when a list wraps the named type (at any level).
    pub fn is_list(&self) -> bool {
        match self {
            TypeRef::Named(_) => false,
            TypeRef::List(_) => true,
            TypeRef::NonNull(inner) => inner.is_list(),
        }
    }

    /// The type of a list's items (the type itself when it is no list).
    pub fn item(&self) -> &TypeRef {
        match self {
            TypeRef::NonNull(inner) => inner.item(),
            TypeRef::List(inner) => inner,
            named => named,
        }
    }
}

/// As GraphQL writes it: `[OrganizationOrder!]`.
impl std::fmt::Display for TypeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypeRef::Named(name) => f.write_str(name),
            TypeRef::List(inner) => write!(f, "[{inner}]"),
            TypeRef::NonNull(inner) => write!(f, "{inner}!"),
        }
    }
}

/// An argument or input field.
#[derive(Clone, Debug)]
pub struct InputValue {
    pub name: String,
    pub ty: TypeRef,
    /// The default, when the schema gives one and it is a whole number.
    pub default_int: Option<i64>,
    /// Whether the schema gives a default.
    pub has_default: bool,
}

/// A field of an object or interface type.
#[derive(Clone, Debug)]
pub struct Field {
    pub ty: TypeRef,
    pub args: Vec<InputValue>,
}

impl Field {
    pub fn arg(&self, name: &str) -> Option<&InputValue> {
        self.args.iter().find(|a| a.name == name)
    }
}

/// The kinds of named types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Scalar,
    Object,
    Interface,
    Union,
    Enum,
    InputObject,
}

/// A named type.
#[derive(Clone, Debug)]
pub struct NamedType {
    pub kind: Kind,
    /// Output fields (objects, interfaces), in schema order.
    pub fields: Vec<(String, Field)>,
    /// Input fields (input objects).
    pub input_fields: Vec<InputValue>,
    /// Interfaces an object or interface implements.
    pub implements: Vec<String>,
    /// Members of a union.
    pub members: Vec<String>,
    /// Values of an enum.
    pub enum_values: Vec<String>,
}

impl NamedType {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, f)| f)
    }

    pub fn input_field(&self, name: &str) -> Option<&InputValue> {
        self.input_fields.iter().find(|f| f.name == name)
    }

    /// A filter input: one that combines its own kind with `and`/`or`/`not`.
    pub fn is_filter(&self) -> bool {
        self.kind == Kind::InputObject
            && ["and", "or", "not"]
                .iter()
                .all(|op| self.input_field(op).is_some())
    }
}

/// The introspection types (GraphQL spec, October 2021 + `isOneOf`) and the
/// built-in scalars: `schema.sdl()` prints neither, but `__schema` answers them.
const INTROSPECTION_SDL: &str = r#"
scalar String
scalar Int
scalar Float
scalar Boolean
scalar ID
type __Schema { description: String types: [__Type!]! queryType: __Type! mutationType: __Type
  subscriptionType: __Type directives: [__Directive!]! }
type __Type { kind: __TypeKind! name: String description: String specifiedByURL: String
  fields(includeDeprecated: Boolean = false): [__Field!] interfaces: [__Type!]
  possibleTypes: [__Type!] enumValues(includeDeprecated: Boolean = false): [__EnumValue!]
  inputFields(includeDeprecated: Boolean = false): [__InputValue!] ofType: __Type isOneOf: Boolean }
type __Field { name: String! description: String args(includeDeprecated: Boolean = false): [__InputValue!]!
  type: __Type! isDeprecated: Boolean! deprecationReason: String }
type __InputValue { name: String! description: String type: __Type! defaultValue: String
  isDeprecated: Boolean! deprecationReason: String }
type __EnumValue { name: String! description: String isDeprecated: Boolean! deprecationReason: String }
type __Directive { name: String! description: String locations: [__DirectiveLocation!]!
  args(includeDeprecated: Boolean = false): [__InputValue!]! isRepeatable: Boolean! }
enum __TypeKind { SCALAR OBJECT INTERFACE UNION ENUM INPUT_OBJECT LIST NON_NULL }
enum __DirectiveLocation { QUERY MUTATION SUBSCRIPTION FIELD FRAGMENT_DEFINITION FRAGMENT_SPREAD
  INLINE_FRAGMENT VARIABLE_DEFINITION SCHEMA SCALAR OBJECT FIELD_DEFINITION ARGUMENT_DEFINITION
  INTERFACE UNION ENUM ENUM_VALUE INPUT_OBJECT INPUT_FIELD_DEFINITION }
"#;

/// Directives every schema has (`skip`, `include`, `deprecated`, `specifiedBy`,
/// `oneOf`); each takes at most one argument.
pub const BUILT_IN_DIRECTIVES: u64 = 5;

/// The schema as the guard sees it.
#[derive(Clone, Debug, Default)]
pub struct SchemaTypes {
    pub types: HashMap<String, NamedType>,
    /// Type names in a stable order (for `__schema { types }`).
    pub order: Vec<String>,
    pub query: String,
    pub mutation: Option<String>,
    pub subscription: Option<String>,
}

impl SchemaTypes {
    /// Reads the SDL the schema prints.
    pub fn from_sdl(sdl: &str) -> Result<SchemaTypes, String> {
        let mut schema = SchemaTypes {
            query: "Query".to_owned(),
            ..SchemaTypes::default()
        };
        for text in [sdl, INTROSPECTION_SDL] {
            let doc = async_graphql::parser::parse_schema(text).map_err(|e| e.to_string())?;
            for definition in doc.definitions {
                match definition {
                    TypeSystemDefinition::Schema(s) => {
                        if let Some(q) = &s.node.query {
                            schema.query = q.node.to_string();
                        }
                        schema.mutation = s.node.mutation.as_ref().map(|m| m.node.to_string());
                        schema.subscription =
                            s.node.subscription.as_ref().map(|m| m.node.to_string());
                    }
                    TypeSystemDefinition::Type(t) => {
                        let name = t.node.name.node.to_string();
                        if !schema.types.contains_key(&name) {
                            schema.order.push(name.clone());
                        }
                        schema.types.insert(name, named_type(t.node.kind));
                    }
                    TypeSystemDefinition::Directive(_) => {}
                }
            }
        }
        if schema.mutation.is_none() && schema.types.contains_key("Mutation") {
            schema.mutation = Some("Mutation".to_owned());
        }
        if schema.subscription.is_none() && schema.types.contains_key("Subscription") {
            schema.subscription = Some("Subscription".to_owned());
        }
        // The root query type answers the introspection entry points.
        if let Some(query) = schema.types.get_mut(&schema.query) {
            let string = TypeRef::NonNull(Box::new(TypeRef::Named("String".to_owned())));
            query.fields.push((
                "__schema".to_owned(),
                Field {
                    ty: TypeRef::NonNull(Box::new(TypeRef::Named("__Schema".to_owned()))),
                    args: Vec::new(),
                },
            ));
            query.fields.push((
                "__type".to_owned(),
                Field {
                    ty: TypeRef::Named("__Type".to_owned()),
                    args: vec![InputValue {
                        name: "name".to_owned(),
                        ty: string,
                        default_int: None,
                        has_default: false,
                    }],
                },
            ));
        }
        Ok(schema)
    }

    pub fn get(&self, name: &str) -> Option<&NamedType> {
        self.types.get(name)
    }

    /// The object types an abstract type stands for (the type itself for an object).
    pub fn possible_types(&self, name: &str) -> Vec<&str> {
        match self.get(name).map(|t| &t.kind) {
            Some(Kind::Interface) => self
                .order
                .iter()
                .filter(|n| {
                    self.types[n.as_str()].kind == Kind::Object
                        && self.types[n.as_str()].implements.iter().any(|i| i == name)
                })
                .map(String::as_str)
                .collect(),
            Some(Kind::Union) => self.types[name]
                .members
                .iter()
                .map(String::as_str)
                .collect(),
            _ => Vec::new(),
        }
    }
}

fn input_value(v: &async_graphql::parser::types::InputValueDefinition) -> InputValue {
    InputValue {
        name: v.name.node.to_string(),
        ty: TypeRef::of_parsed(&v.ty.node),
        default_int: v.default_value.as_ref().and_then(|d| match &d.node {
            async_graphql::Value::Number(n) => n.as_i64(),
            _ => None,
        }),
        has_default: v.default_value.is_some(),
    }
}

fn named_type(kind: TypeKind) -> NamedType {
    let mut t = NamedType {
        kind: Kind::Scalar,
        fields: Vec::new(),
        input_fields: Vec::new(),
        implements: Vec::new(),
        members: Vec::new(),
        enum_values: Vec::new(),
    };
    let fields = |fields: Vec<
        async_graphql::parser::Positioned<async_graphql::parser::types::FieldDefinition>,
    >| {
        fields
            .into_iter()
            .map(|f| {
                (
                    f.node.name.node.to_string(),
                    Field {
                        ty: TypeRef::of_parsed(&f.node.ty.node),
                        args: f
                            .node
                            .arguments
                            .iter()
                            .map(|a| input_value(&a.node))
                            .collect(),
                    },
                )
            })
            .collect()
    };
    match kind {
        TypeKind::Scalar => {}
        TypeKind::Object(o) => {
            t.kind = Kind::Object;
            t.implements = o.implements.iter().map(|i| i.node.to_string()).collect();
            t.fields = fields(o.fields);
        }
        TypeKind::Interface(i) => {
            t.kind = Kind::Interface;
            t.implements = i.implements.iter().map(|i| i.node.to_string()).collect();
            t.fields = fields(i.fields);
        }
        TypeKind::Union(u) => {
            t.kind = Kind::Union;
            t.members = u.members.iter().map(|m| m.node.to_string()).collect();
        }
        TypeKind::Enum(e) => {
            t.kind = Kind::Enum;
            t.enum_values = e
                .values
                .iter()
                .map(|v| v.node.value.node.to_string())
                .collect();
        }
        TypeKind::InputObject(i) => {
            t.kind = Kind::InputObject;
            t.input_fields = i.fields.iter().map(|f| input_value(&f.node)).collect();
        }
    }
    t
}
