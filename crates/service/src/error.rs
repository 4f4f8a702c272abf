//! The service's error type: every kind maps to one stable GraphQL `extensions.code`.

use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// What went wrong, in terms a client can act on. Internal causes are kept for the
/// log and never shown.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request is malformed; `field` names the offending argument or input field.
    #[error("{message}")]
    BadUserInput { field: String, message: String },
    /// A credential was presented and is not valid.
    #[error("{0}")]
    Unauthenticated(String),
    /// The actor may not do or see this.
    #[error("{0}")]
    Forbidden(String),
    /// The named thing does not exist (or is not visible to the actor).
    #[error("{0} not found")]
    NotFound(String),
    /// The write collides with the current state; for a stale `version`, the
    /// row's current version.
    #[error("{message}")]
    Conflict {
        message: String,
        current_version: Option<i32>,
    },
    /// A configured limit was exceeded; `field` names the argument, `limit`
    /// the setting that sets the bound (`PAGE_SIZE_MAX`).
    #[error("{message}")]
    LimitExceeded {
        field: String,
        limit: &'static str,
        message: String,
    },
    /// The database cannot be reached right now.
    #[error("service unavailable")]
    Unavailable(#[source] DbErr),
    /// Anything else: a bug or an unexpected database failure.
    #[error("internal error")]
    Internal(#[source] DbErr),
}

impl Error {
    /// The stable `extensions.code` of this kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadUserInput { .. } => "BAD_USER_INPUT",
            Error::Unauthenticated(_) => "UNAUTHENTICATED",
            Error::Forbidden(_) => "FORBIDDEN",
            Error::NotFound(_) => "NOT_FOUND",
            Error::Conflict { .. } => "CONFLICT",
            Error::LimitExceeded { .. } => "LIMIT_EXCEEDED",
            Error::Unavailable(_) => "UNAVAILABLE",
            Error::Internal(_) => "INTERNAL",
        }
    }

    /// The input field or argument at fault, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::BadUserInput { field, .. } | Error::LimitExceeded { field, .. } => Some(field),
            _ => None,
        }
    }

    /// True for errors whose cause must be logged rather than shown.
    pub fn is_internal(&self) -> bool {
        matches!(self, Error::Unavailable(_) | Error::Internal(_))
    }

    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::BadUserInput {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Error::Conflict {
            message: message.into(),
            current_version: None,
        }
    }

    pub fn limit(
        field: impl Into<String>,
        limit: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Error::LimitExceeded {
            field: field.into(),
            limit,
            message: message.into(),
        }
    }

    /// The setting whose bound was exceeded, for `LIMIT_EXCEEDED`.
    pub fn limit_name(&self) -> Option<&'static str> {
        match self {
            Error::LimitExceeded { limit, .. } => Some(limit),
            _ => None,
        }
    }
}

/// The SQLSTATE of a database error, when the database gave one.
pub(crate) fn sqlstate(err: &DbErr) -> Option<String> {
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => e
            .as_database_error()
            .and_then(|d| d.code())
            .map(|c| c.into_owned()),
        _ => None,
    }
}

/// PostgreSQL's connection exceptions (class 08) and the server shutting
/// down, refusing connections or ending this one (57P01–57P03): the
/// database is unreachable, not the request wrong.
fn unreachable(state: &str) -> bool {
    state.starts_with("08") || matches!(state, "57P01" | "57P02" | "57P03")
}

/// The connection broke under a statement (the server went away).
fn lost_connection(err: &DbErr) -> bool {
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => matches!(
            **e,
            sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed
        ),
        _ => false,
    }
}

/// PostgreSQL's `query_canceled`: the statement timeout struck.
const QUERY_CANCELED: &str = "57014";
/// PostgreSQL's `serialization_failure` and `deadlock_detected`: two writes
/// collided; either may be retried.
const COLLISIONS: [&str; 2] = ["40001", "40P01"];
/// SQLite's primary result codes `SQLITE_BUSY` and `SQLITE_LOCKED` (extended
/// codes carry them in the low byte): the database stayed locked for longer
/// than the busy timeout. SQLite codes are numbers of at most four digits;
/// PostgreSQL's SQLSTATEs have five characters.
fn sqlite_busy(state: &str) -> bool {
    state.len() < 5
        && state
            .parse::<u32>()
            .is_ok_and(|code| matches!(code & 0xff, 5 | 6))
}

impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        if sqlstate(&err).as_deref() == Some(QUERY_CANCELED) {
            tracing::warn!(error = %err, "statement timeout");
            return Error::limit(
                "query",
                "DATABASE_STATEMENT_TIMEOUT_SECS",
                "the request ran longer than the database statement timeout; ask for less (smaller pages, fewer nested connections)",
            );
        }
        let state = sqlstate(&err);
        if state.as_deref().is_some_and(|s| COLLISIONS.contains(&s)) {
            tracing::info!(error = %err, "write collision");
            return Error::conflict("the write collided with a concurrent one; try again");
        }
        if state.as_deref().is_some_and(sqlite_busy) {
            tracing::warn!(error = %err, "database busy");
            return Error::Unavailable(err);
        }
        if state.as_deref().is_some_and(unreachable) || lost_connection(&err) {
            tracing::warn!(error = %err, "database unreachable");
            return Error::Unavailable(err);
        }
        // The database's own guards, reached when a concurrent write slipped
        // past the service's checks.
        match err.sql_err() {
            // The detail quotes the row's values: not logged.
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                tracing::info!("unique constraint");
                return Error::conflict("a row with the same unique values already exists");
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                tracing::info!("foreign key constraint");
                return Error::conflict(
                    "the change refers to a row that does not exist, or removes one still referred to",
                );
            }
            _ => {}
        }
        match err {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => Error::Unavailable(err),
            other => Error::Internal(other),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
