//! The `api` binary's command line: minting tokens, and configuration errors
//! that name the variable.

use std::process::Command;

const SECRET: &str = "cli-test-secret-that-is-long-enough-0123456789abcdef";

fn api() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_api"));
    // A clean environment: no .env in the temp dir, nothing inherited that matters.
    cmd.current_dir(std::env::temp_dir())
        .env_remove("DATABASE_URL")
        .env_remove("PORT")
        .env_remove("JWT_SECRET");
    cmd
}

/// A fresh SQLite database with the demo data, for commands that check
/// organizations (organization 1 is the home university, 7 a partner).
fn demo_database() -> String {
    let path = std::env::temp_dir().join(format!(
        "cli-demo-{}-{}.db",
        std::process::id(),
        fastrand::u32(..)
    ));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let out = api()
        .env("DATABASE_URL", &url)
        .args(["seed", "--demo"])
        .output()
        .expect("seed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    url
}

#[test]
fn token_prints_a_verifiable_token_alone() {
    let out = api()
        .env("JWT_SECRET", SECRET)
        .env("DATABASE_URL", demo_database())
        .args([
            "token", "--role", "partner", "--org", "7", "--ttl", "2h", "--sub", "portal",
        ])
        .output()
        .expect("run api token");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "the token alone: {stdout:?}");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.validate_aud = false;
    let data = jsonwebtoken::decode::<serde_json::Value>(
        lines[0],
        &jsonwebtoken::DecodingKey::from_secret(SECRET.as_bytes()),
        &validation,
    )
    .expect("a token signed with JWT_SECRET");
    assert_eq!(data.claims["role"], "partner");
    assert_eq!(data.claims["sub"], "portal");
    let exp = data.claims["exp"].as_u64().expect("exp");
    let now = jsonwebtoken::get_current_timestamp();
    assert!(exp > now + 7000 && exp <= now + 7200, "two hours");
    assert!(
        data.claims["org"].is_string(),
        "the organization's global id"
    );
}

/// `api token --org` reads the database the server uses (the same
/// `DATABASE_URL` default) and never creates one.
#[test]
fn token_never_creates_a_database() {
    let dir = std::env::temp_dir().join(format!(
        "cli-empty-{}-{}",
        std::process::id(),
        fastrand::u32(..)
    ));
    std::fs::create_dir_all(&dir).expect("an empty folder");
    // `api token --org 7` in the folder, with DATABASE_URL naming `file`.
    let partner_token = |file: Option<&std::path::Path>| {
        let mut cmd = api();
        cmd.current_dir(&dir).env("JWT_SECRET", SECRET);
        if let Some(file) = file {
            cmd.env("DATABASE_URL", format!("sqlite://{}", file.display()));
        }
        let out = cmd
            .args(["token", "--role", "partner", "--org", "7"])
            .output()
            .expect("run");
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let stderr = partner_token(None);
    assert!(
        stderr.contains("DATABASE_URL") && stderr.contains("partners.db"),
        "{stderr}"
    );
    assert!(!stderr.to_lowercase().contains("sql"), "{stderr}");
    let named = dir.join("other.db");
    let stderr = partner_token(Some(&named));
    assert!(stderr.contains("does not exist"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(&dir).expect("the folder").collect();
    assert!(left.is_empty(), "nothing created: {left:?}");
    // A file that is no API database: said so, nothing written into it.
    std::fs::write(&named, b"").expect("an empty file");
    let stderr = partner_token(Some(&named));
    assert!(stderr.contains("server's database"), "{stderr}");
    assert_eq!(std::fs::metadata(&named).expect("the file").len(), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn token_refuses_without_secret_or_partner_organization() {
    let no_secret = api()
        .args(["token", "--role", "staff"])
        .output()
        .expect("run");
    assert!(!no_secret.status.success());
    assert!(String::from_utf8_lossy(&no_secret.stderr).contains("JWT_SECRET"));
    let no_org = api()
        .env("JWT_SECRET", SECRET)
        .args(["token", "--role", "partner"])
        .output()
        .expect("run");
    assert!(!no_org.status.success());
    assert!(String::from_utf8_lossy(&no_org.stderr).contains("--org"));
    let short = api()
        .env("JWT_SECRET", "short-secret")
        .args(["token", "--role", "staff"])
        .output()
        .expect("run");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("32 bytes"));
    let url = demo_database();
    // The home university, an organization that does not exist, an agreement's id.
    let agreement = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("Agreement:1")
    };
    for org in ["1", "999999", agreement.as_str()] {
        let out = api()
            .env("JWT_SECRET", SECRET)
            .env("DATABASE_URL", &url)
            .args(["token", "--role", "partner", "--org", org])
            .output()
            .expect("run");
        assert!(!out.status.success(), "--org {org}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--org"),
            "--org {org}"
        );
    }
}

#[test]
fn bad_configuration_stops_start_up_naming_the_variable() {
    for (var, value) in [
        ("PORT", "eighty"),
        ("DATABASE_URL", "mysql://x"),
        ("PAGE_SIZE_MAX", "0"),
        ("DATABASE_RANDOM_PAGE_COST", "0"),
        ("DATABASE_RANDOM_PAGE_COST", "cheap"),
        ("JWT_ALGORITHM", "none"),
        ("CORS_ORIGINS", "portal.example.org"),
        ("CORS_ORIGINS", "https://portal.example.org/app"),
        ("RUST_LOG", "info,[[["),
        ("APP_ENV", "staging"),
    ] {
        let out = api().env(var, value).arg("serve").output().expect("run");
        assert!(!out.status.success(), "{var}={value} must fail");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(var), "{var}: {stderr}");
    }
}

#[test]
fn app_env_ignores_case() {
    // Refused alike: production without a strong key, whatever the case.
    for value in ["prod", "production", "PRODUCTION", "Production"] {
        let out = api()
            .env("APP_ENV", value)
            .arg("serve")
            .output()
            .expect("run");
        assert!(!out.status.success(), "{value}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("JWT_SECRET"), "{value}: {stderr}");
    }
}

#[test]
fn a_taken_port_fails_before_the_database_is_touched() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().expect("addr").port().to_string();
    let path = std::env::temp_dir().join(format!("cli-port-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let out = api()
        .env("PORT", &port)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", path.display()),
        )
        .arg("serve")
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("PORT"), "{stderr}");
    assert!(
        !path.exists(),
        "the database was not created, let alone migrated"
    );
}

/// The lines `api serve` prints at start-up (with `env`), then stops it.
fn banner(env: &[(&str, &str)]) -> Vec<String> {
    use std::io::BufRead;
    let path = std::env::temp_dir().join(format!(
        "cli-banner-{}-{}.db",
        std::process::id(),
        fastrand::u32(..)
    ));
    let mut cmd = api();
    cmd.env("PORT", "0")
        .env("DEMO_DATA", "false")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", path.display()),
        )
        .arg("serve")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let mut lines = Vec::new();
    let mut wait = std::time::Duration::from_secs(60);
    while let Ok(line) = rx.recv_timeout(wait) {
        lines.push(line);
        wait = std::time::Duration::from_millis(500);
    }
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_file(&path);
    lines
}

#[test]
fn the_banner_advertises_graphiql_only_when_it_is_served() {
    let on = banner(&[]);
    assert!(on.iter().any(|l| l.starts_with("GraphQL API:")), "{on:?}");
    assert!(on.iter().any(|l| l.starts_with("GraphiQL:")), "{on:?}");
    let off = banner(&[("GRAPHIQL", "false")]);
    assert!(off.iter().any(|l| l.starts_with("GraphQL API:")), "{off:?}");
    assert!(!off.iter().any(|l| l.contains("GraphiQL")), "{off:?}");
}

#[test]
fn a_production_copy_of_the_example_configuration_loads_no_demo_data() {
    let dir = std::env::temp_dir().join(format!(
        "cli-env-{}-{}",
        std::process::id(),
        fastrand::u32(..)
    ));
    std::fs::create_dir_all(&dir).expect("a folder");
    let example =
        include_str!("../../../.env.example").replace("APP_ENV=development", "APP_ENV=production");
    assert!(example.contains("APP_ENV=production"));
    std::fs::write(dir.join(".env"), example).expect("write .env");
    let mut cmd = api();
    cmd.current_dir(&dir)
        .env("PORT", "0")
        .env("JWT_SECRET", SECRET)
        .arg("serve")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().expect("start");
    {
        use std::io::BufRead;
        let stdout = child.stdout.take().expect("stdout");
        let started = std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .any(|l| l.starts_with("GraphQL API:"));
        assert!(started, "the server started");
    }
    let _ = child.kill();
    let _ = child.wait();
    // The database the example names, relative to the working directory.
    let out = api()
        .current_dir(&dir)
        .env("DATABASE_URL", "sqlite://partners.db?mode=rwc")
        .args(["migrate", "status"])
        .output()
        .expect("status");
    assert!(out.status.success());
    let db = dir.join("partners.db");
    assert!(db.exists(), "the server migrated partners.db");
    let seeded = api()
        .current_dir(&dir)
        .env("DATABASE_URL", "sqlite://partners.db?mode=rwc")
        .env("JWT_SECRET", SECRET)
        .args(["token", "--role", "partner", "--org", "7"])
        .output()
        .expect("token");
    // Organization 7 exists only in the demo data.
    assert!(!seeded.status.success(), "no demo data was loaded");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The variables the binary reads, from its own `--help`.
fn variables() -> Vec<String> {
    let out = api().arg("--help").output().expect("help");
    let help = String::from_utf8_lossy(&out.stdout).to_string();
    let vars: Vec<String> = help
        .split("[env: ")
        .skip(1)
        .filter_map(|rest| rest.split(['=', ']']).next())
        .map(str::to_owned)
        .collect();
    assert!(vars.len() > 30, "{help}");
    vars
}

#[test]
fn every_variable_is_documented_in_the_readme_table_and_the_example() {
    let readme = include_str!("../../../README.md");
    let table: Vec<&str> = readme
        .split("## Configuration")
        .nth(1)
        .expect("a configuration section")
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .collect();
    let example = include_str!("../../../.env.example");
    for var in variables().iter().map(String::as_str).chain(["RUST_LOG"]) {
        assert!(
            table.iter().any(|row| row.contains(&format!("`{var}`"))),
            "{var} is not in the README's configuration table"
        );
        assert!(example.contains(var), "{var} is not in .env.example");
    }
}

#[test]
fn the_declared_rust_version_is_what_the_locked_dependencies_need() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let rustc = Command::new("rustc").arg("-vV").output().expect("rustc");
    let host = String::from_utf8_lossy(&rustc.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .expect("the host triple");
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .args(["--filter-platform", &host])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // "1.94" and "1.94.0" are the same version.
    let version = |v: &str| -> Vec<u32> {
        let mut parts: Vec<u32> = v.split('.').filter_map(|p| p.parse().ok()).collect();
        parts.resize(3, 0);
        parts
    };
    let packages = metadata["packages"].as_array().expect("packages");
    let needed = packages
        .iter()
        .filter_map(|p| p["rust_version"].as_str())
        .map(version)
        .max()
        .expect("some dependency declares a rust-version");
    let declared = packages
        .iter()
        .find(|p| p["name"] == "api")
        .and_then(|p| p["rust_version"].as_str())
        .map(version)
        .expect("the workspace declares rust-version");
    assert_eq!(
        declared, needed,
        "rust-version must be what the locked dependencies need"
    );
}

#[test]
fn the_container_files_are_production_ready() {
    let compose = include_str!("../../../docker-compose.yml");
    for needle in [
        "APP_ENV: production",
        "JWT_SECRET: ${JWT_SECRET:?",
        "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?",
        "start_period:",
        "restart: unless-stopped",
        "${API_BIND:-127.0.0.1}:8000:8000",
    ] {
        assert!(
            compose.contains(needle),
            "docker-compose.yml lacks `{needle}`"
        );
    }
    // Services (two-space keys under `services:`) that publish ports: only
    // the proxy; the database and the replicas are reached on the network.
    let mut service = None;
    let mut publishing = Vec::new();
    let mut in_services = false;
    for line in compose.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            in_services = line == "services:";
            service = None;
        } else if in_services && line.starts_with("  ") && !line.starts_with("   ") {
            service = line.trim().strip_suffix(':');
        } else if line.trim() == "ports:"
            && let Some(name) = service
        {
            publishing.push(name);
        }
    }
    assert_eq!(publishing, ["proxy"], "only the proxy is published");
    for replica in ["api-1:", "api-2:"] {
        assert!(
            compose.contains(replica),
            "docker-compose.yml lacks {replica}"
        );
    }
    let proxy = include_str!("../../../deploy/nginx.conf");
    for needle in [
        "server api-1:8000;",
        "server api-2:8000;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $connection_upgrade;",
    ] {
        assert!(proxy.contains(needle), "deploy/nginx.conf lacks `{needle}`");
    }
    let dockerfile = include_str!("../../../Dockerfile");
    for needle in [
        "cargo chef cook --release --locked --package api",
        "--create-home --home-dir /app",
        "USER 10001:10001",
        "--start-period=",
    ] {
        assert!(dockerfile.contains(needle), "Dockerfile lacks `{needle}`");
    }
    let example = include_str!("../../../.env.example");
    let active = |name: &str| {
        example
            .lines()
            .any(|l| l.trim_start().starts_with(&format!("{name}=")))
    };
    assert!(
        !active("HOST"),
        ".env.example must not override the image's HOST"
    );
    assert!(
        !active("DEMO_DATA"),
        ".env.example must leave DEMO_DATA to APP_ENV"
    );
    let readme = include_str!("../../../README.md");
    assert!(readme.contains("docker compose up --build -d --wait"));
    assert!(readme.contains("APP_ENV=production JWT_SECRET="));
}

#[test]
fn a_reader_that_stops_early_ends_the_schema_quietly() {
    use std::io::Read;
    let mut child = api()
        .arg("schema")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run api schema");
    // Read the first bytes, as `head -c 100` does, then go away.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 100];
    stdout.read_exact(&mut first).expect("the start of the SDL");
    drop(stdout);
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_sqlite_url_without_a_mode_creates_the_database() {
    let path = std::env::temp_dir().join(format!(
        "cli-new-{}-{}.db",
        std::process::id(),
        fastrand::u32(..)
    ));
    assert!(!path.exists());
    let out = api()
        .env("DATABASE_URL", format!("sqlite://{}", path.display()))
        .args(["migrate", "up"])
        .output()
        .expect("run api migrate up");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(path.exists(), "the database file is created");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn a_log_filter_that_names_nothing_of_ours_stops_start_up() {
    let out = api()
        .env("RUST_LOG", "verbose")
        .args(["schema"])
        .output()
        .expect("run api");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("RUST_LOG"), "{stderr}");
    let ok = api()
        .env("RUST_LOG", "warn,api=debug")
        .args(["schema"])
        .output()
        .expect("run api");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

#[test]
fn import_ror_migrates_a_new_database_and_reports_what_it_did() {
    let path = std::env::temp_dir().join(format!(
        "cli-ror-{}-{}.db",
        std::process::id(),
        fastrand::u32(..)
    ));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let dump = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/ror/dump.json"
    );
    let run = |strict: bool| {
        let mut cmd = api();
        cmd.env("DATABASE_URL", &url).args(["import", "ror", dump]);
        if strict {
            cmd.arg("--strict");
        }
        cmd.output().expect("run api import ror")
    };
    // --strict first: record 2 breaks ROR's schema, nothing is written.
    let out = run(true);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("record 2 (https://ror.org/0w5brk975)"),
        "{stderr}"
    );
    let out = run(false);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stdout.trim(),
        "created 6, updated 0, unchanged 0, skipped 1",
        "{stderr}"
    );
    assert!(
        stderr.contains("record 2 (https://ror.org/0w5brk975)"),
        "{stderr}"
    );
    let out = run(false);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "created 0, updated 0, unchanged 6, skipped 1"
    );
    std::fs::remove_file(&path).ok();
}
