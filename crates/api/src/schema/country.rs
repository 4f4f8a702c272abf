//! Countries (ISO 3166-1).

/// A country or territory (ISO 3166-1).
pub struct Country;
