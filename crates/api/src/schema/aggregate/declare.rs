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
        #[doc = concat!("The aggregate types of ", $what, " (declared by the descriptions).")]
        pub struct $agg;

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

        $(
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
