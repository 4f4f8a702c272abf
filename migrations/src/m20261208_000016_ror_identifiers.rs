//! Organizations written before identifiers existed keep their ROR id in
//! `organizations.ror_id` alone: each becomes the organization's ROR
//! identifier (stored as the URL, as writes store it), so that `rorId` and
//! the ROR identifier agree on every row, `organizationByIdentifier` finds
//! it and `api import ror` updates it instead of creating another. A value
//! another organization already holds as an identifier is left where it is
//! (the oldest of two organizations naming one id gets it). The way down removes nothing: the rows are
//! what a write would have made.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let url = |o: &str| {
            format!(
                "CASE WHEN {o}.ror_id LIKE 'https://ror.org/%' THEN {o}.ror_id \
                 ELSE 'https://ror.org/' || {o}.ror_id END"
            )
        };
        // The oldest organization of those naming one id gets it.
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "INSERT INTO organization_identifiers (organization_id, scheme, value)
                 SELECT o.id, 'ror', {o_url}
                 FROM organizations o
                 WHERE o.ror_id IS NOT NULL AND o.ror_id <> ''
                   AND NOT EXISTS (SELECT 1 FROM organization_identifiers i
                                   WHERE i.organization_id = o.id AND i.scheme = 'ror')
                   AND NOT EXISTS (SELECT 1 FROM organizations t
                                   WHERE t.id < o.id AND t.ror_id IS NOT NULL AND {t_url} = {o_url})
                 ON CONFLICT DO NOTHING",
                o_url = url("o"),
                t_url = url("t"),
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
