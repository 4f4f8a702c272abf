//! Bearer JWTs: verifying them into an [`Actor`], and minting them for
//! development (`api token`).
//!
//! Claims: `sub`, `role` (`admin` | `staff` | `partner`), `org` (the global id
//! of the partner's organization; required for partners), `exp` (required), and
//! `iss` / `aud` when configured. No `Authorization` header means anonymous; a
//! header that does not verify is an error, never silently anonymous.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use service::{Actor, Role};

use crate::schema::id::{NodeType, decode_as, encode_id};

/// Why a presented credential was refused (the message is safe to show).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("the Authorization header must be `Bearer <token>`")]
    Malformed,
    #[error("the token has expired")]
    Expired,
    #[error("the token is not valid: {0}")]
    Invalid(&'static str),
    #[error("authentication is not configured on this server")]
    NotConfigured,
    /// The token verifies, but what it claims does not hold (see
    /// `service::access::verify_actor`).
    #[error("{0}")]
    Refused(String),
    /// The claims could not be checked: the database is unreachable.
    #[error("service unavailable")]
    Unavailable,
}

/// Remembers, briefly, which verified actors' claims hold, so that the
/// database is asked once per token rather than once per request.
#[derive(Default)]
pub struct ClaimsChecks {
    seen: std::sync::Mutex<std::collections::HashMap<Actor, Checked>>,
}

/// When a check was made, and whether the claims held (else why not).
type Checked = (std::time::Instant, Result<(), String>);

impl ClaimsChecks {
    /// The actor when its claims hold.
    pub async fn verify(
        &self,
        db: &sea_orm::DatabaseConnection,
        actor: Actor,
    ) -> Result<Actor, AuthError> {
        if actor.is_anonymous() {
            return Ok(actor);
        }
        let now = std::time::Instant::now();
        let cached = self
            .seen
            .lock()
            .ok()
            .and_then(|seen| seen.get(&actor).cloned())
            .filter(|(at, _)| now.duration_since(*at) < CLAIMS_CHECK_TTL);
        let outcome = match cached {
            Some((_, outcome)) => outcome,
            None => {
                let outcome = match service::access::verify_actor(db, &actor).await {
                    Ok(()) => Ok(()),
                    Err(service::Error::Unauthenticated(message)) => Err(message),
                    Err(err) => {
                        tracing::warn!(error = %err, "cannot check a token's claims");
                        return Err(AuthError::Unavailable);
                    }
                };
                if let Ok(mut seen) = self.seen.lock() {
                    if seen.len() >= CLAIMS_CHECK_ENTRIES {
                        seen.clear();
                    }
                    seen.insert(actor.clone(), (now, outcome.clone()));
                }
                outcome
            }
        };
        outcome.map(|()| actor).map_err(AuthError::Refused)
    }
}

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub sub: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    pub exp: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
}

/// How tokens are verified.
#[derive(Clone, Debug, Default)]
pub struct AuthConfig {
    /// Shared secret for HS256.
    pub secret: Option<String>,
    /// PEM public key (RSA or EC) of an identity provider.
    pub public_key: Option<String>,
    /// Algorithm used with the public key (RS256 unless told).
    pub algorithm: Option<Algorithm>,
    pub issuer: Option<String>,
    pub audience: Option<String>,
}

/// Seconds of clock difference tolerated on `exp` and `nbf`.
pub const LEEWAY_SECS: u64 = 10;

/// How long the check of a token's claims against the database is reused.
const CLAIMS_CHECK_TTL: std::time::Duration = std::time::Duration::from_secs(60);
/// Most remembered checks; the memory is emptied when it fills.
const CLAIMS_CHECK_ENTRIES: usize = 10_000;

/// Verifies tokens with the configured key.
pub struct Authenticator {
    key: Option<DecodingKey>,
    validation: Validation,
}

impl Authenticator {
    /// Reads the key; a malformed public key is a configuration error naming
    /// the variable.
    pub fn new(config: &AuthConfig) -> Result<Self, String> {
        let (key, algorithm) = match (&config.public_key, &config.secret) {
            (Some(pem), _) => {
                let algorithm = config.algorithm.unwrap_or(Algorithm::RS256);
                let key = match algorithm {
                    Algorithm::ES256 | Algorithm::ES384 => DecodingKey::from_ec_pem(pem.as_bytes()),
                    Algorithm::EdDSA => DecodingKey::from_ed_pem(pem.as_bytes()),
                    _ => DecodingKey::from_rsa_pem(pem.as_bytes()),
                }
                .map_err(|e| {
                    format!("JWT_PUBLIC_KEY is not a valid {algorithm:?} public key: {e}")
                })?;
                (Some(key), algorithm)
            }
            (None, Some(secret)) => (
                Some(DecodingKey::from_secret(secret.as_bytes())),
                Algorithm::HS256,
            ),
            (None, None) => (None, Algorithm::HS256),
        };
        let mut validation = Validation::new(algorithm);
        validation.leeway = LEEWAY_SECS;
        validation.validate_nbf = true;
        // A configured issuer or audience is a required claim: a token that
        // lacks it is refused as one that names another.
        let mut required = vec!["exp", "sub"];
        if let Some(issuer) = &config.issuer {
            validation.set_issuer(&[issuer]);
            required.push("iss");
        }
        match &config.audience {
            Some(audience) => {
                validation.set_audience(&[audience]);
                required.push("aud");
            }
            None => validation.validate_aud = false,
        }
        validation.set_required_spec_claims(&required);
        Ok(Authenticator { key, validation })
    }

    /// The actor an `Authorization` header value stands for (`None`: anonymous).
    pub fn actor(&self, header: Option<&str>) -> Result<Actor, AuthError> {
        self.actor_until(header).map(|(actor, _)| actor)
    }

    /// The actor, and when its token expires (seconds since the epoch; `None`
    /// for anonymous callers).
    pub fn actor_until(&self, header: Option<&str>) -> Result<(Actor, Option<u64>), AuthError> {
        let Some(header) = header else {
            return Ok((Actor::anonymous(), None));
        };
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AuthError::Malformed)?;
        let key = self.key.as_ref().ok_or(AuthError::NotConfigured)?;
        let data = jsonwebtoken::decode::<Claims>(token, key, &self.validation).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind;
            match e.kind() {
                ErrorKind::ExpiredSignature => AuthError::Expired,
                ErrorKind::ImmatureSignature => AuthError::Invalid("the token is not valid yet"),
                ErrorKind::InvalidSignature => AuthError::Invalid("bad signature"),
                ErrorKind::InvalidIssuer => AuthError::Invalid("wrong issuer"),
                ErrorKind::InvalidAudience => AuthError::Invalid("wrong audience"),
                ErrorKind::MissingRequiredClaim(_) => {
                    AuthError::Invalid("a required claim is missing")
                }
                ErrorKind::InvalidAlgorithm => AuthError::Invalid("unexpected algorithm"),
                ErrorKind::Json(_) => AuthError::Invalid("unreadable claims"),
                _ => AuthError::Invalid("malformed token"),
            }
        })?;
        let expires = data.claims.exp;
        Ok((actor_of(data.claims)?, Some(expires)))
    }
}

fn actor_of(claims: Claims) -> Result<Actor, AuthError> {
    let organization_id = match (&claims.role, &claims.org) {
        (Role::Partner, None) => return Err(AuthError::Invalid("a partner token needs `org`")),
        (_, None) => None,
        (_, Some(org)) => Some(
            decode_as(org, NodeType::Organization, "org")
                .ok()
                .and_then(|key| key.id())
                .ok_or(AuthError::Invalid("`org` is not an organization id"))?,
        ),
    };
    Ok(Actor {
        sub: Some(claims.sub),
        role: Some(claims.role),
        organization_id,
    })
}

/// Mints a token signed with the configured `JWT_SECRET` (HS256), valid for
/// `ttl`, carrying the configured issuer and audience.
pub fn mint(
    config: &AuthConfig,
    sub: &str,
    role: Role,
    organization_id: Option<i64>,
    ttl: std::time::Duration,
) -> Result<String, String> {
    let secret = config
        .secret
        .as_deref()
        .ok_or("JWT_SECRET must be set to mint tokens")?;
    if secret.len() < crate::config::MIN_SECRET_BYTES {
        return Err(format!(
            "JWT_SECRET must be at least {} bytes to mint tokens (e.g. `openssl rand -hex 32`)",
            crate::config::MIN_SECRET_BYTES
        ));
    }
    if role == Role::Partner && organization_id.is_none() {
        return Err("a partner token needs --org".to_owned());
    }
    let exp = jsonwebtoken::get_current_timestamp() + ttl.as_secs();
    let claims = Claims {
        sub: sub.to_owned(),
        role,
        org: organization_id.map(|id| encode_id(NodeType::Organization, id).0),
        exp,
        iss: config.issuer.clone(),
        aud: config.audience.clone(),
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .map_err(|e| e.to_string())
}
