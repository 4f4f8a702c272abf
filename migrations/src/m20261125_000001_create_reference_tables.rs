//! Reference tables and their data: every ISO 3166-1 country, and the ISCED-F
//! 2013 fields of study at all three levels (broad `06`, narrow `061`,
//! detailed `0613`). The rows live in `migrations/data/*.tsv`.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::drop_tables;

/// `code name region`, one country a line, with a header line.
const COUNTRIES: &str = include_str!("../data/countries.tsv");
/// `code name broad_code`: the 11 broad and 29 narrow fields.
const FIELD_LEVELS: &str = include_str!("../data/fields_of_study_levels.tsv");
/// `code name broad_code`: the 80 detailed fields.
const FIELDS: &str = include_str!("../data/fields_of_study.tsv");

/// Rows per `INSERT` statement.
const BATCH: usize = 100;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum Countries {
    Table,
    Code,
    Name,
    Region,
}

#[derive(DeriveIden, Clone, Copy)]
pub(crate) enum FieldsOfStudy {
    Table,
    Code,
    Name,
    BroadCode,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Countries::Table)
                    .col(char_len(Countries::Code, 2).primary_key())
                    .col(text(Countries::Name))
                    .col(text_null(Countries::Region))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FieldsOfStudy::Table)
                    .col(string_len(FieldsOfStudy::Code, 4).primary_key())
                    .col(text(FieldsOfStudy::Name))
                    .col(string_len(FieldsOfStudy::BroadCode, 2))
                    .take(),
            )
            .await?;

        use Countries as C;
        insert_tsv(manager, C::Table, [C::Code, C::Name, C::Region], COUNTRIES).await?;
        use FieldsOfStudy as F;
        for tsv in [FIELD_LEVELS, FIELDS] {
            insert_tsv(manager, F::Table, [F::Code, F::Name, F::BroadCode], tsv).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [
                FieldsOfStudy::Table.into_iden(),
                Countries::Table.into_iden(),
            ],
        )
        .await
    }
}

/// Inserts the rows of a tab-separated file with a header line into `table`,
/// [`BATCH`] rows per statement. An empty field is stored as NULL.
async fn insert_tsv<T: IntoIden + Copy, C: IntoIden + Copy, const N: usize>(
    manager: &SchemaManager<'_>,
    table: T,
    columns: [C; N],
    tsv: &str,
) -> Result<(), DbErr> {
    let rows: Vec<&str> = tsv.lines().skip(1).filter(|l| !l.is_empty()).collect();
    for batch in rows.chunks(BATCH) {
        let mut insert = Query::insert();
        insert.into_table(table).columns(columns);
        for line in batch {
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() != N {
                return Err(DbErr::Custom(format!(
                    "reference data for {}: expected {N} fields, got {} in {line:?}",
                    table.into_iden(),
                    fields.len()
                )));
            }
            let values = fields.into_iter().map(|f| match f.trim() {
                "" => Expr::val(Option::<String>::None),
                v => Expr::val(v),
            });
            insert.values(values).map_err(|e| {
                DbErr::Custom(format!("reference data for {}: {e}", table.into_iden()))
            })?;
        }
        manager.execute(insert).await?;
    }
    Ok(())
}
