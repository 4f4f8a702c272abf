//! The create, update and delete mutations of the records whose writes are
//! data (`service::write::Writes` on their description). `Described<T>` is
//! record `T`'s part of the `Mutation` root: it declares `createT`,
//! `updateT` and `deleteT`, their inputs (one field per field of the
//! service's change set, typed and documented as it declares them) and
//! payloads, and runs them through the service's generic writes. A
//! payload's row is read through the plan, on the primary.

use std::borrow::Cow;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::LazyLock;

use async_graphql::indexmap::IndexMap;
use async_graphql::registry::{MetaInputValue, MetaType, MetaTypeId, Registry};
use async_graphql::resolver_utils::{ContainerType, resolve_container};
use async_graphql::{
    Context, ContextSelectionSet, ID, ObjectType, OutputType, Positioned, ServerResult, Value,
};
use entity::NodeType;
use serde_json::Value as Json;
use service::query::resource::Key;
use service::write::{Given, Input, InputField, Permission, Writes};

use super::described::{Declared, argument, field, lower_first, object};
use super::error::GqlResult;
use super::input::row_id;
use super::planned::{Planned, Source};

/// Every record's writes that are data, by type name.
static WRITES: LazyLock<HashMap<&'static str, (NodeType, &'static Writes)>> = LazyLock::new(|| {
    service::model::catalog()
        .into_iter()
        .filter_map(|shape| Some((shape.name, (shape.node?, shape.writes?))))
        .collect()
});

fn writes_of(name: &str) -> (NodeType, &'static Writes) {
    match WRITES.get(name) {
        Some(writes) => *writes,
        None => panic!("the description of `{name}` declares no writes"),
    }
}

/// Record `T`'s create, update and delete: a part of the `Mutation` root.
pub struct Described<T>(PhantomData<fn() -> T>);

impl<T> Default for Described<T> {
    fn default() -> Self {
        Described(PhantomData)
    }
}

fn input_value(name: &str, doc: &str, ty: &str) -> MetaInputValue {
    MetaInputValue {
        description: (!doc.is_empty()).then(|| doc.to_owned()),
        ..argument(name, ty)
    }
}

fn input_object(name: &str, doc: &str, fields: Vec<MetaInputValue>) -> MetaType {
    let fields = fields.into_iter().map(|f| (f.name.clone(), f)).collect();
    super::described::input_object(name, doc, fields)
}

impl<T: Declared> OutputType for Described<T> {
    fn type_name() -> Cow<'static, str> {
        Cow::Owned(format!("{}Mutation", T::NAME))
    }

    fn create_type_info(registry: &mut Registry) -> String {
        registry.create_output_type::<Self, _>(MetaTypeId::Object, |registry| {
            let name = T::NAME;
            let (_, writes) = writes_of(name);
            let what = writes.what;
            let noun = what.split_once(' ').map_or(what, |(_, noun)| noun);
            let fields = writes.ops.fields();
            // Rows the record owns are replaced whole when given.
            let owned: String = fields
                .iter()
                .filter(|f| f.owned)
                .map(|f| format!(";\n`{}`, when given, replace the current ones", f.name))
                .collect();
            let goes: String = fields
                .iter()
                .filter(|f| f.owned)
                .map(|f| format!("; its `{}` go with it", f.name))
                .collect();
            let create = fields.iter().map(|f| {
                let ty = if f.optional {
                    f.ty.clone()
                } else {
                    format!("{}!", f.ty)
                };
                input_value(&f.name, &f.doc, &ty)
            });
            let update = [
                input_value("id", "", "ID!"),
                input_value("version", "The `version` the client last saw.", "Int!"),
            ]
            .into_iter()
            .chain(fields.iter().map(|f| input_value(&f.name, "", &f.ty)));
            let delete = vec![
                input_value("id", "The global id of the row to delete.", "ID!"),
                input_value(
                    "version",
                    "The `version` the client last saw; another current version is a `CONFLICT`.",
                    "Int!",
                ),
            ];
            let row = lower_first(name);
            let payload = IndexMap::from_iter([(
                row.clone(),
                field(&row, "", format!("{name}!"), Vec::new()),
            )]);
            let deleted = IndexMap::from_iter([(
                "deletedId".to_owned(),
                field(
                    "deletedId",
                    "The global id of the deleted row.",
                    "ID!".to_owned(),
                    Vec::new(),
                ),
            )]);
            let types = [
                input_object(&format!("Create{name}Input"), writes.new, create.collect()),
                input_object(
                    &format!("Update{name}Input"),
                    &format!(
                        "Changes to {what}: only the fields given change; null clears{owned}."
                    ),
                    update.collect(),
                ),
                input_object(
                    &format!("Delete{name}Input"),
                    &format!("Deletes {what}: the row and the version the client saw."),
                    delete,
                ),
                object(
                    &format!("{name}Payload"),
                    &format!("The {noun} a write created or changed."),
                    payload,
                ),
                object(
                    &format!("Delete{name}Payload"),
                    &format!("What deleting {what} returns."),
                    deleted,
                ),
            ];
            for ty in types {
                registry.types.insert(ty.name().to_owned(), ty);
            }
            let mutation = |verb: &str, doc: &str, input: &str, payload: &str| {
                let name = format!("{verb}{name}");
                let args = vec![argument("input", &format!("{input}!"))];
                (name.clone(), field(&name, doc, format!("{payload}!"), args))
            };
            let fields = IndexMap::from_iter([
                mutation(
                    "create",
                    writes.create,
                    &format!("Create{name}Input"),
                    &format!("{name}Payload"),
                ),
                mutation(
                    "update",
                    &format!("Changes {what}."),
                    &format!("Update{name}Input"),
                    &format!("{name}Payload"),
                ),
                mutation(
                    "delete",
                    &format!("Deletes {what} nothing refers to any more (admins only){goes}."),
                    &format!("Delete{name}Input"),
                    &format!("Delete{name}Payload"),
                ),
            ]);
            object(
                &Self::type_name(),
                &format!("Writes to {row} rows."),
                fields,
            )
        })
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        _field: &Positioned<async_graphql::parser::types::Field>,
    ) -> ServerResult<Value> {
        resolve_container(ctx, self).await
    }
}

impl<T: Declared> ContainerType for Described<T> {
    async fn resolve_field(&self, ctx: &Context<'_>) -> ServerResult<Option<Value>> {
        let name = ctx.item.node.name.node.as_str();
        let Some(verb) = ["create", "update", "delete"]
            .into_iter()
            .find(|verb| name.strip_prefix(verb) == Some(T::NAME))
        else {
            return Ok(None);
        };
        let permission = match verb {
            "delete" => Permission::Delete,
            _ => Permission::Write,
        };
        let ctx_obj = ctx.with_selection_set(&ctx.item.node.selection_set);
        // Refused before the input is read: an anonymous caller hears
        // UNAUTHENTICATED rather than about its input.
        let written = match super::mutation::may(ctx, permission) {
            Ok(()) => {
                let (_, input) = ctx.param_value::<Json>("input", None)?;
                write::<T>(ctx, verb, input).await
            }
            Err(err) => Err(err),
        }
        .map_err(|err| ctx.set_error_path(err.into_server_error(ctx.item.pos)))?;
        match written {
            Written::Row(row) => OutputType::resolve(&row, &ctx_obj, ctx.item).await,
            Written::Deleted(row) => OutputType::resolve(&row, &ctx_obj, ctx.item).await,
        }
        .map(Some)
    }
}

impl<T: Declared> ObjectType for Described<T> {}

enum Written<T> {
    Row(Payload<T>),
    Deleted(Deleted<T>),
}

/// Runs mutation `verb` of record `T` with the field's `input`.
async fn write<T: Declared>(
    ctx: &Context<'_>,
    verb: &str,
    input: Json,
) -> async_graphql::Result<Written<T>> {
    let (node, writes) = writes_of(T::NAME);
    let Json::Object(mut input) = input else {
        return Err(async_graphql::Error::new("`input` must be an object"));
    };
    let state = super::app(ctx);
    let actor = super::actor(ctx);
    let ops = writes.ops;
    if verb == "create" {
        let given = given(&ops.fields(), input).gql()?;
        let id = ops.create(&state.db, actor, given).await.gql()?;
        return Ok(Written::Row(Payload(node, id, PhantomData)));
    }
    let global = match input.remove("id") {
        Some(Json::String(id)) => ID(id),
        _ => ID(String::new()),
    };
    let id = row_id(&global, node, "id").gql()?;
    let version = input.remove("version").and_then(|v| v.as_i64());
    let version = version
        .and_then(|v| i32::try_from(v).ok())
        .ok_or_else(|| service::Error::bad_input("version", "`version` is out of range"))
        .gql()?;
    if verb == "update" {
        let given = given(&ops.fields(), input).gql()?;
        let id = ops
            .update(&state.db, actor, id, version, given)
            .await
            .gql()?;
        return Ok(Written::Row(Payload(node, id, PhantomData)));
    }
    ops.delete(&state.db, actor, id, version).await.gql()?;
    Ok(Written::Deleted(Deleted(global, PhantomData)))
}

/// The fields of `input` that `fields` declares, global ids decoded into
/// the keys they name (the service reads the rest by each field's type).
fn given(
    fields: &[InputField],
    input: serde_json::Map<String, Json>,
) -> Result<Input, service::Error> {
    let mut given = Vec::with_capacity(input.len());
    for (name, value) in input {
        if let Some(field) = fields.iter().find(|f| f.name == name) {
            let value = value_of(field, &name, value)?;
            given.push((name, value));
        }
    }
    Ok(Input(given))
}

/// One value of `field` (an item of it, for a list), named `name` in errors.
fn value_of(field: &InputField, name: &str, value: Json) -> Result<Given, service::Error> {
    Ok(match (value, field.node) {
        (Json::Null, _) => Given::Null,
        (Json::Array(items), _) => Given::List(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| value_of(field, &format!("{name}[{i}]"), item))
                .collect::<Result<_, _>>()?,
        ),
        (Json::String(id), Some(node)) => Given::Key(row_id(&ID(id), node, name)?),
        (Json::String(text), None) => Given::Text(text),
        (Json::Number(n), _) => Given::Int(n.as_i64().unwrap_or(i64::MAX)),
        (Json::Bool(b), _) => Given::Bool(b),
        (Json::Object(_), _) => {
            return Err(service::Error::bad_input(
                name,
                format!("`{name}` has the wrong type"),
            ));
        }
    })
}

/// Declares `$ty<T>` an object type named `$name` (`{}` is `T`'s name),
/// registered with its mutations (`Described::create_type_info`).
macro_rules! declared_with_mutations {
    ($ty:ident, $name:literal) => {
        impl<T: Declared> OutputType for $ty<T> {
            fn type_name() -> Cow<'static, str> {
                Cow::Owned(format!($name, T::NAME))
            }

            fn create_type_info(_: &mut Registry) -> String {
                Self::qualified_type_name()
            }

            async fn resolve(
                &self,
                ctx: &ContextSelectionSet<'_>,
                _field: &Positioned<async_graphql::parser::types::Field>,
            ) -> ServerResult<Value> {
                resolve_container(ctx, self).await
            }
        }

        impl<T: Declared> ObjectType for $ty<T> {}
    };
}

/// What a create or update of `T` returns: the row, read through the plan.
struct Payload<T>(NodeType, i64, PhantomData<fn() -> T>);

declared_with_mutations!(Payload, "{}Payload");

impl<T: Declared> ContainerType for Payload<T> {
    async fn resolve_field(&self, ctx: &Context<'_>) -> ServerResult<Option<Value>> {
        if ctx.item.node.name.node != lower_first(T::NAME) {
            return Ok(None);
        }
        let row = Planned::<T>::new(self.0, Key::Id(self.1), Source::Primary);
        let ctx_obj = ctx.with_selection_set(&ctx.item.node.selection_set);
        OutputType::resolve(&row, &ctx_obj, ctx.item)
            .await
            .map(Some)
    }
}

/// What a delete of `T` returns: the deleted row's global id.
struct Deleted<T>(ID, PhantomData<fn() -> T>);

declared_with_mutations!(Deleted, "Delete{}Payload");

impl<T: Declared> ContainerType for Deleted<T> {
    async fn resolve_field(&self, ctx: &Context<'_>) -> ServerResult<Option<Value>> {
        Ok((ctx.item.node.name.node == "deletedId").then(|| Value::String(self.0.0.clone())))
    }
}
