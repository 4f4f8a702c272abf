//! The Relay `Node` interface and global-id lookups.

use async_graphql::{Context, ID, Interface, Result};
use service::query::resource::{Key, Resource};

use super::agreement::Agreement;
use super::country::Country;
use super::error::GqlResult;
use super::event::Event;
use super::field_of_study::FieldOfStudy;
use super::id::{self, NodeType};
use super::joint_unit::JointUnit;
use super::organization::{Company, Institute, Organization, University};
use super::person::Person;
use super::program::Program;
use super::student::Student;
use super::visit::Visit;

/// An object with a global id, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "The global id."))]
pub enum Node {
    University(University),
    Company(Company),
    Institute(Institute),
    Person(Person),
    Event(Event),
    Agreement(Agreement),
    Program(Program),
    Student(Student),
    JointUnit(JointUnit),
    Visit(Visit),
    Country(Country),
    FieldOfStudy(FieldOfStudy),
}

impl From<Organization> for Node {
    fn from(org: Organization) -> Self {
        match org {
            Organization::University(u) => Node::University(u),
            Organization::Company(c) => Node::Company(c),
            Organization::Institute(i) => Node::Institute(i),
        }
    }
}

async fn fetch<E: Resource, T: From<E::Seen> + Into<Node>>(
    ctx: &Context<'_>,
    key: Key,
) -> Result<Option<Node>>
where
    E::Seen: Sync,
{
    Ok(super::one::<E, T>(ctx, key).await?.map(Into::into))
}

/// The node a global id names, if it exists and the caller may see it.
pub async fn resolve(ctx: &Context<'_>, global_id: &str, field: &str) -> Result<Option<Node>> {
    let (ty, key) = id::decode(global_id, field).gql()?;
    match ty {
        NodeType::Organization => {
            fetch::<entity::organization::Entity, Organization>(ctx, key).await
        }
        NodeType::Person => fetch::<entity::person::Entity, Person>(ctx, key).await,
        NodeType::Event => fetch::<entity::event::Entity, Event>(ctx, key).await,
        NodeType::Agreement => fetch::<entity::agreement::Entity, Agreement>(ctx, key).await,
        NodeType::Program => fetch::<entity::program::Entity, Program>(ctx, key).await,
        NodeType::Student => fetch::<entity::student::Entity, Student>(ctx, key).await,
        NodeType::JointUnit => fetch::<entity::joint_unit::Entity, JointUnit>(ctx, key).await,
        NodeType::Visit => fetch::<entity::visit::Entity, Visit>(ctx, key).await,
        NodeType::Country => fetch::<entity::country::Entity, Country>(ctx, key).await,
        NodeType::FieldOfStudy => {
            fetch::<entity::field_of_study::Entity, FieldOfStudy>(ctx, key).await
        }
    }
}
