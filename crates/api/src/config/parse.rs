//! Parsers of the settings' values: each says what is wrong with a value, naming the variable.

use super::*;

/// `scheme://host[:port]`, nothing more: what a browser sends as `Origin`.
pub(super) fn is_origin(s: &str) -> bool {
    match url::Url::parse(s) {
        Ok(url) => {
            matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some()
                && url.path() == "/"
                && url.query().is_none()
                && url.fragment().is_none()
                && url.username().is_empty()
                && !s.ends_with('/')
        }
        Err(_) => false,
    }
}

pub(super) fn parse_algorithm(s: &str) -> Result<jsonwebtoken::Algorithm, String> {
    use jsonwebtoken::Algorithm::*;
    match s {
        "RS256" => Ok(RS256),
        "RS384" => Ok(RS384),
        "RS512" => Ok(RS512),
        "PS256" => Ok(PS256),
        "ES256" => Ok(ES256),
        "ES384" => Ok(ES384),
        "EdDSA" => Ok(EdDSA),
        _ => Err(format!(
            "JWT_ALGORITHM must be RS256, RS384, RS512, PS256, ES256, ES384 or EdDSA, got `{s}`"
        )),
    }
}

pub(super) fn parse_env(s: &str) -> Result<AppEnv, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "development" | "dev" => Ok(AppEnv::Development),
        "production" | "prod" => Ok(AppEnv::Production),
        _ => Err(format!(
            "APP_ENV must be development or production, got `{s}`"
        )),
    }
}

pub(super) fn parse_host(s: &str) -> Result<IpAddr, String> {
    s.parse()
        .map_err(|_| format!("HOST must be an IP address such as 127.0.0.1 or 0.0.0.0, got `{s}`"))
}

pub(super) fn parse_port(s: &str) -> Result<u16, String> {
    s.parse()
        .map_err(|_| format!("PORT must be a port number from 0 to 65535, got `{s}`"))
}

/// `url` for reading an existing database, never creating one: an SQLite
/// file opened read-only (refused when it does not exist), a PostgreSQL URL
/// as it is (connecting creates nothing).
pub fn existing_database(url: &str) -> Result<String, String> {
    let Some(rest) = url.strip_prefix("sqlite:") else {
        return Ok(url.to_owned());
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let path = path.strip_prefix("//").unwrap_or(path);
    if path.contains(":memory:") {
        return Err("an in-memory SQLite database holds no organizations".to_owned());
    }
    if !std::path::Path::new(path).is_file() {
        let shown = if url == DEFAULT_DATABASE_URL {
            format!(
                "DATABASE_URL is not set, and the default database `{path}` is not in this folder"
            )
        } else {
            format!("DATABASE_URL names `{path}`, which does not exist")
        };
        return Err(format!(
            "{shown}; run this where the server keeps its database, or set DATABASE_URL to it"
        ));
    }
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("mode="))
        .collect();
    let mut read_only = format!("sqlite://{path}?mode=ro");
    for parameter in kept {
        read_only.push('&');
        read_only.push_str(parameter);
    }
    Ok(read_only)
}

pub(super) fn parse_database_url(s: &str) -> Result<String, String> {
    if s.starts_with("sqlite:") {
        // Without a mode SQLite opens only a file that exists; the server
        // creates its database, as the default URL says (`mode=rwc`).
        let file = s.split('?').next().unwrap_or(s);
        if s.contains("mode=") || file.contains(":memory:") {
            return Ok(s.to_owned());
        }
        let joint = if s.contains('?') { '&' } else { '?' };
        Ok(format!("{s}{joint}mode=rwc"))
    } else if s.starts_with("postgres://") || s.starts_with("postgresql://") {
        Ok(s.to_owned())
    } else {
        Err("DATABASE_URL must start with sqlite:, postgres:// or postgresql://".to_owned())
    }
}

pub(super) fn parse_read_url(s: &str) -> Result<String, String> {
    if s.starts_with("postgres://") || s.starts_with("postgresql://") {
        Ok(s.to_owned())
    } else {
        Err("DATABASE_READ_URL must start with postgres:// or postgresql://".to_owned())
    }
}

pub(super) fn positive(
    name: &'static str,
) -> impl Fn(&str) -> Result<u64, String> + Clone + Send + Sync + 'static {
    move |s: &str| match s.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("{name} must be a positive whole number, got `{s}`")),
    }
}

/// PostgreSQL's `random_page_cost` for the server's connections; `None`
/// keeps the database server's own setting.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PageCost(pub Option<f64>);

/// `DATABASE_RANDOM_PAGE_COST`: a positive number, or `server` for the
/// database server's own setting.
pub(super) fn parse_page_cost(s: &str) -> Result<PageCost, String> {
    if s.eq_ignore_ascii_case("server") {
        return Ok(PageCost(None));
    }
    match s.parse::<f64>() {
        Ok(n) if n.is_finite() && n > 0.0 && n <= 1000.0 => Ok(PageCost(Some(n))),
        _ => Err(format!(
            "DATABASE_RANDOM_PAGE_COST must be a number above 0 (such as 1.1) or `server`, got `{s}`"
        )),
    }
}

pub(super) fn duration(
    name: &'static str,
) -> impl Fn(&str) -> Result<Duration, String> + Clone + Send + Sync + 'static {
    move |s: &str| match humantime::parse_duration(s) {
        Ok(d) if !d.is_zero() => Ok(d),
        _ => Err(format!(
            "{name} must be a positive duration such as 30s, 500ms or 2m, got `{s}`"
        )),
    }
}

pub(super) fn parse_metrics_addr(s: &str) -> Result<std::net::SocketAddr, String> {
    s.parse().map_err(|_| {
        format!("METRICS_ADDR must be an address and port such as 127.0.0.1:9100, got `{s}`")
    })
}

pub(super) fn parse_bool(
    name: &'static str,
) -> impl Fn(&str) -> Result<bool, String> + Clone + Send + Sync + 'static {
    move |s: &str| match s.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!("{name} must be true or false, got `{s}`")),
    }
}

pub(super) fn parse_log_format(s: &str) -> Result<LogFormat, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "text" => Ok(LogFormat::Text),
        "json" => Ok(LogFormat::Json),
        _ => Err(format!("LOG_FORMAT must be text or json, got `{s}`")),
    }
}

/// A CIDR (`10.0.0.0/8`) or a single address.
pub(super) fn parse_cidr(s: &str) -> Result<ipnet::IpNet, String> {
    let s = s.trim();
    s.parse::<ipnet::IpNet>()
        .or_else(|_| s.parse::<IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| {
            format!("TRUSTED_PROXIES must list CIDRs or addresses such as 10.0.0.0/8 or 172.18.0.2, got `{s}`")
        })
}
