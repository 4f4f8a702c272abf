//! Running unattended: what `/metrics` reports, the rate limits, and a
//! database outage answered 503 and recovered from. (The log lines, traces
//! and the drain on SIGTERM need the binary as a process:
//! `crates/api/tests/process.rs`.)

mod copy;
mod metrics;
mod outage;
mod rate;
