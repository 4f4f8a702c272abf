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

#[test]
fn token_prints_a_verifiable_token_alone() {
    let out = api()
        .env("JWT_SECRET", SECRET)
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
}

#[test]
fn bad_configuration_stops_start_up_naming_the_variable() {
    for (var, value) in [
        ("PORT", "eighty"),
        ("DATABASE_URL", "mysql://x"),
        ("PAGE_SIZE_MAX", "0"),
        ("JWT_ALGORITHM", "none"),
    ] {
        let out = api().env(var, value).arg("serve").output().expect("run");
        assert!(!out.status.success(), "{var}={value} must fail");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(var), "{var}: {stderr}");
    }
}
