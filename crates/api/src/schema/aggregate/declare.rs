//! The `aggregate!` macro: an entity's aggregate, group and having types.

/// Declares an entity's aggregate types (`aggregate { count distinctCount {…}
/// min {…} max {…} sum {…} avg {…} }`), its group types (`groups(by:) { key
/// {…} count aggregate {…} }`) and its `having` input. Sections: `values`
/// (columns with `min`/`max`, typed), `counts` (columns with
/// `distinctCount`), optionally `numbers` (columns with `sum`/`avg`), and
/// `keys` (the `GroupBy` values: a column and a part, answered as a value
/// type or as a related row).
macro_rules! aggregate {
    (
        entity = $entity:path, what = $what:literal,
        $agg:ident, $values:ident, $counts:ident,
        $group:ident, $key:ident, $by:ident,
        $having:ident, $values_having:ident, $counts_having:ident,
        $(numbers $numbers:ident, $numbers_having:ident { $($num:ident),+ $(,)? },)?
        values { $($val:ident : $vty:ty),+ $(,)? }
        counts { $($cnt:ident),+ $(,)? }
        keys {
            $($variant:ident => $kfield:ident ($kcol:ident, $part:ident) $kind:ident $kty:ty $(= $kentity:path)?),+ $(,)?
        }
    ) => {
        #[doc = concat!("Aggregates over ", $what, ": over every row the filter and your role admit, not just one page.")]
        pub struct $agg(std::sync::Arc<service::query::aggregate::Aggregates>);

        impl $agg {
            /// The measures the selection under `aggregate` asks for.
            pub fn measures(selection: &async_graphql::Lookahead<'_>) -> Vec<service::query::aggregate::Measure> {
                use service::query::aggregate::{Measure, Op};
                use $crate::schema::aggregate::asks;
                let mut measures = Vec::new();
                for op in [Op::Min, Op::Max] {
                    $(if asks(selection, op, stringify!($val)) {
                        measures.push(Measure { op, column: stringify!($val) });
                    })+
                }
                $(if asks(selection, Op::DistinctCount, stringify!($cnt)) {
                    measures.push(Measure { op: Op::DistinctCount, column: stringify!($cnt) });
                })+
                $(for op in [Op::Sum, Op::Avg] {
                    $(if asks(selection, op, stringify!($num)) {
                        measures.push(Measure { op, column: stringify!($num) });
                    })+
                })?
                measures
            }

            /// The aggregates of a connection's rows, as the selection asks.
            pub async fn load(
                ctx: &async_graphql::Context<'_>,
                source: &$crate::schema::aggregate::Source<$entity>,
            ) -> async_graphql::Result<Self> {
                let measures = Self::measures(&ctx.look_ahead());
                Ok($agg($crate::schema::aggregate::aggregates::<$entity>(ctx, source, measures).await?))
            }
        }

        impl $crate::schema::compile::AggregateTypes for $agg {
            type By = $by;
            type Having = $having;
            const NAMES: $crate::schema::compile::AggregateNames = $crate::schema::compile::AggregateNames {
                aggregate: stringify!($agg),
                values: stringify!($values),
                counts: stringify!($counts),
                group: stringify!($group),
                key: stringify!($key),
                numbers: $crate::schema::aggregate::aggregate!(@numbers $($numbers)?),
            };
            const VALUES: &'static [&'static str] = &[$(stringify!($val)),+];
            const COUNTS: &'static [&'static str] = &[$(stringify!($cnt)),+];
            const NUMBERS: &'static [&'static str] = &[$($(stringify!($num)),+)?];
            fn by_key(by: $by) -> service::query::aggregate::GroupKey {
                by.key()
            }
            fn having(having: $having) -> service::query::aggregate::Having {
                having.into_service()
            }
            fn key_fields() -> Vec<$crate::schema::compile::KeyDescription> {
                vec![$($crate::schema::compile::KeyDescription {
                    field: stringify!($kfield),
                    key: $by::$variant.key(),
                    shown: $crate::schema::aggregate::aggregate!(@shown $kind $kty $(, $kentity)?),
                }),+]
            }
        }

        #[doc = concat!("Aggregates over ", $what, ": over every row the filter and your role admit, not just one page.")]
        #[async_graphql::Object]
        impl $agg {
            /// How many rows.
            async fn count(&self) -> u64 {
                self.0.count
            }
            /// How many distinct non-null values each field has.
            async fn distinct_count(&self) -> $counts {
                $counts(std::sync::Arc::clone(&self.0))
            }
            /// The smallest value of each field (null over no values).
            async fn min(&self) -> $values {
                $values(std::sync::Arc::clone(&self.0), service::query::aggregate::Op::Min)
            }
            /// The largest value of each field (null over no values).
            async fn max(&self) -> $values {
                $values(std::sync::Arc::clone(&self.0), service::query::aggregate::Op::Max)
            }
            $(
            /// The sum of each numeric field (null over no values).
            async fn sum(&self) -> $numbers {
                $numbers(std::sync::Arc::clone(&self.0), service::query::aggregate::Op::Sum)
            }
            /// The mean of each numeric field (null over no values).
            async fn avg(&self) -> $numbers {
                $numbers(std::sync::Arc::clone(&self.0), service::query::aggregate::Op::Avg)
            }
            )?
        }

        #[doc = concat!("The smallest or largest value of each field of ", $what, ".")]
        pub struct $values(
            std::sync::Arc<service::query::aggregate::Aggregates>,
            service::query::aggregate::Op,
        );

        #[doc = concat!("The smallest or largest value of each field of ", $what, ".")]
        #[async_graphql::Object]
        impl $values {
            $(
            #[doc = concat!("`", stringify!($val), "`, if your role may read it on every row.")]
            async fn $val(&self) -> async_graphql::Result<Option<$vty>> {
                use $crate::schema::error::GqlResult as _;
                let datum = self.0.get(self.1, stringify!($val)).gql()?;
                <$vty as $crate::schema::aggregate::FromDatum>::from_datum(datum)
            }
            )+
        }

        #[doc = concat!("How many distinct non-null values each field of ", $what, " has.")]
        pub struct $counts(std::sync::Arc<service::query::aggregate::Aggregates>);

        #[doc = concat!("How many distinct non-null values each field of ", $what, " has.")]
        #[async_graphql::Object]
        impl $counts {
            $(
            #[doc = concat!("Distinct values of `", stringify!($cnt), "`, if your role may read it on every row.")]
            async fn $cnt(&self) -> async_graphql::Result<Option<u64>> {
                use $crate::schema::error::GqlResult as _;
                let datum = self
                    .0
                    .get(service::query::aggregate::Op::DistinctCount, stringify!($cnt))
                    .gql()?;
                Ok(Some(datum.int().and_then(|n| u64::try_from(n).ok()).unwrap_or(0)))
            }
            )+
        }

        $(
        #[doc = concat!("The sum or mean of each numeric field of ", $what, ".")]
        pub struct $numbers(
            std::sync::Arc<service::query::aggregate::Aggregates>,
            service::query::aggregate::Op,
        );

        #[doc = concat!("The sum or mean of each numeric field of ", $what, ".")]
        #[async_graphql::Object]
        impl $numbers {
            $(
            #[doc = concat!("Of `", stringify!($num), "`.")]
            async fn $num(&self) -> async_graphql::Result<Option<f64>> {
                use $crate::schema::error::GqlResult as _;
                Ok(self.0.get(self.1, stringify!($num)).gql()?.float())
            }
            )+
        }

        #[doc = concat!("Conditions on the sums or means of a group of ", $what, ".")]
        #[derive(async_graphql::InputObject, Clone, Debug, Default)]
        pub struct $numbers_having {
            $(
            #[doc = concat!("On `", stringify!($num), "`.")]
            pub $num: Option<$crate::schema::aggregate::FloatFilter>,
            )+
        }

        impl $numbers_having {
            fn bounds(self, op: service::query::aggregate::Op, out: &mut Vec<(service::query::aggregate::Measure, service::query::aggregate::Bound)>) {
                use $crate::schema::aggregate::HavingBound as _;
                $(if let Some(f) = self.$num {
                    out.push((service::query::aggregate::Measure { op, column: stringify!($num) }, f.bound()));
                })+
            }
        }
        )?

        #[doc = concat!("Conditions on the smallest or largest values of a group of ", $what, ".")]
        #[derive(async_graphql::InputObject, Clone, Debug, Default)]
        pub struct $values_having {
            $(
            #[doc = concat!("On `", stringify!($val), "`.")]
            pub $val: Option<<$vty as $crate::schema::aggregate::Extreme>::Filter>,
            )+
        }

        impl $values_having {
            fn bounds(self, op: service::query::aggregate::Op, out: &mut Vec<(service::query::aggregate::Measure, service::query::aggregate::Bound)>) {
                use $crate::schema::aggregate::HavingBound as _;
                $(if let Some(f) = self.$val {
                    out.push((service::query::aggregate::Measure { op, column: stringify!($val) }, f.bound()));
                })+
            }
        }

        #[doc = concat!("Conditions on the distinct counts of a group of ", $what, ".")]
        #[derive(async_graphql::InputObject, Clone, Debug, Default)]
        pub struct $counts_having {
            $(
            #[doc = concat!("On the distinct values of `", stringify!($cnt), "`.")]
            pub $cnt: Option<$crate::schema::filter::IntFilter>,
            )+
        }

        impl $counts_having {
            fn bounds(self, out: &mut Vec<(service::query::aggregate::Measure, service::query::aggregate::Bound)>) {
                use $crate::schema::aggregate::HavingBound as _;
                $(if let Some(f) = self.$cnt {
                    out.push((service::query::aggregate::Measure {
                        op: service::query::aggregate::Op::DistinctCount,
                        column: stringify!($cnt),
                    }, f.bound()));
                })+
            }
        }

        #[doc = concat!("Which groups of ", $what, " to keep: conditions on their aggregates, combined like filters.")]
        #[derive(async_graphql::InputObject, Clone, Debug, Default)]
        pub struct $having {
            /// All of these hold.
            #[graphql(default)]
            pub and: Vec<$having>,
            /// At least one of these holds.
            #[graphql(default)]
            pub or: Vec<$having>,
            /// This does not hold.
            pub not: Option<Box<$having>>,
            /// On the number of rows in the group.
            pub count: Option<$crate::schema::filter::IntFilter>,
            /// On distinct counts.
            pub distinct_count: Option<$counts_having>,
            /// On smallest values.
            pub min: Option<$values_having>,
            /// On largest values.
            pub max: Option<$values_having>,
            $(
            /// On sums.
            pub sum: Option<$numbers_having>,
            /// On means.
            pub avg: Option<$numbers_having>,
            )?
        }

        impl $having {
            /// The service's `having`.
            pub fn into_service(self) -> service::query::aggregate::Having {
                use service::query::aggregate::Op;
                let mut measures = Vec::new();
                if let Some(h) = self.distinct_count {
                    h.bounds(&mut measures);
                }
                if let Some(h) = self.min {
                    h.bounds(Op::Min, &mut measures);
                }
                if let Some(h) = self.max {
                    h.bounds(Op::Max, &mut measures);
                }
                $(
                let _: Option<$numbers_having> = None;
                if let Some(h) = self.sum {
                    h.bounds(Op::Sum, &mut measures);
                }
                if let Some(h) = self.avg {
                    h.bounds(Op::Avg, &mut measures);
                }
                )?
                service::query::aggregate::Having {
                    and: self.and.into_iter().map(Self::into_service).collect(),
                    or: self.or.into_iter().map(Self::into_service).collect(),
                    not: self.not.map(|h| Box::new(h.into_service())),
                    count: self.count.map(|c| service::query::filter::Ops::<i32>::from(c).map(i64::from)),
                    measures,
                }
            }
        }

        #[doc = concat!("What groups of ", $what, " are keyed by.")]
        #[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $by {
            $(
            #[doc = concat!("`", stringify!($kcol), "` (", stringify!($part), ").")]
            $variant,
            )+
        }

        impl $by {
            /// The service's group key.
            pub fn key(self) -> service::query::aggregate::GroupKey {
                match self {
                    $($by::$variant => service::query::aggregate::GroupKey {
                        column: stringify!($kcol),
                        part: service::query::aggregate::Part::$part,
                    },)+
                }
            }
        }

        #[doc = concat!("One group of ", $what, ": its key, its size and its aggregates.")]
        pub struct $group {
            key: Vec<($by, service::query::aggregate::Datum)>,
            aggregates: std::sync::Arc<service::query::aggregate::Aggregates>,
        }

        impl $group {
            /// The groups of a connection's rows, as asked.
            pub async fn load(
                ctx: &async_graphql::Context<'_>,
                source: &$crate::schema::aggregate::Source<$entity>,
                by: Vec<$by>,
                first: Option<i32>,
                order_by: Option<Vec<$crate::schema::aggregate::GroupOrder>>,
                having: Option<$having>,
            ) -> async_graphql::Result<Vec<Self>> {
                let request = service::query::aggregate::GroupQuery {
                    by: by.iter().map(|b| b.key()).collect(),
                    measures: $agg::measures(&ctx.look_ahead().field("aggregate")),
                    order: $crate::schema::aggregate::GroupOrder::sort(order_by),
                    having: having.map($having::into_service),
                    first,
                };
                let groups = $crate::schema::aggregate::groups::<$entity>(ctx, source, request).await?;
                Ok(groups
                    .into_iter()
                    .map(|g| $group {
                        key: by.iter().copied().zip(g.key).collect(),
                        aggregates: std::sync::Arc::new(g.aggregates),
                    })
                    .collect())
            }
        }

        #[doc = concat!("One group of ", $what, ": its key, its size and its aggregates.")]
        #[async_graphql::Object]
        impl $group {
            /// The values this group shares (the keys not grouped by are null).
            async fn key(&self) -> $key {
                $key(self.key.clone())
            }
            /// How many rows are in the group.
            async fn count(&self) -> u64 {
                self.aggregates.count
            }
            /// Aggregates over the group's rows.
            async fn aggregate(&self) -> $agg {
                $agg(std::sync::Arc::clone(&self.aggregates))
            }
        }

        #[doc = concat!("The key of a group of ", $what, ": the values of `by`, the rest null.")]
        pub struct $key(Vec<($by, service::query::aggregate::Datum)>);

        impl $key {
            fn datum(&self, by: $by) -> Option<&service::query::aggregate::Datum> {
                self.0.iter().find(|(b, _)| *b == by).map(|(_, d)| d)
            }
        }

        #[doc = concat!("The key of a group of ", $what, ": the values of `by`, the rest null.")]
        #[async_graphql::Object]
        impl $key {
            $(
            #[doc = concat!("When grouped by `", stringify!($variant), "`.")]
            async fn $kfield(&self, ctx: &async_graphql::Context<'_>) -> async_graphql::Result<Option<$kty>> {
                let _ = ctx;
                $crate::schema::aggregate::aggregate!(@key $kind self.datum($by::$variant), ctx, $kty $(, $kentity)?)
            }
            )+
        }
    };
    (@key value $datum:expr, $ctx:ident, $kty:ty) => {
        $crate::schema::aggregate::key_value::<$kty>($datum)
    };
    (@key row $datum:expr, $ctx:ident, $kty:ty, $kentity:path) => {
        $crate::schema::aggregate::key_row::<$kentity, $kty>($ctx, $datum).await
    };
    (@numbers $numbers:ident) => {
        Some(stringify!($numbers))
    };
    (@numbers) => {
        None
    };
    (@shown value $kty:ty) => {
        <$kty as $crate::schema::compile::KeyShown>::shown()
    };
    (@shown row $kty:ty, $kentity:path) => {
        $crate::schema::compile::Shown::Row(sea_orm::EntityName::table_name(&<$kentity>::default()))
    };
}

pub(crate) use aggregate;
