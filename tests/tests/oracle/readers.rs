//! Who asks the oracle, and what DESIGN.md's access table lets each see,
//! written as SQL of its own.

use service::Role;
use service::access::Field as Rule;

/// Who asks, and the SQL of what that role may see.
pub(super) struct Reader {
    pub(super) name: &'static str,
    pub(super) bearer: Option<String>,
    pub(super) role: Option<Role>,
    pub(super) partner: Option<i64>,
}

impl Reader {
    pub(super) fn staff(&self) -> bool {
        matches!(self.role, Some(Role::Staff | Role::Admin))
    }

    /// The partner's organization, for SQL (`-1`: nobody's).
    pub(super) fn org(&self) -> i64 {
        self.partner.unwrap_or(-1)
    }

    /// The rows of `table` (as `t`) this reader sees: DESIGN.md's table.
    pub(super) fn sees(&self, table: &str) -> String {
        let all = "1 = 1".to_owned();
        if self.staff() {
            return all;
        }
        let org = self.org();
        let partner = self.partner.is_some();
        let parties =
            format!("SELECT agreement_id FROM agreement_parties WHERE organization_id = {org}");
        match table {
            // The public directory.
            "organizations" | "countries" | "fields_of_study" | "events" | "agreements" => all,
            // Signatories are public; a partner sees its own people.
            "people" => format!(
                "(t.id IN (SELECT signatory_id FROM agreement_parties WHERE signatory_id IS NOT NULL) OR t.organization_id = {org})"
            ),
            "programs" if partner => {
                format!("(t.host_organization_id = {org} OR t.agreement_id IN ({parties}))")
            }
            "joint_units" if partner => format!(
                "(t.host_organization_id = {org} OR t.agreement_id IN ({parties}) OR t.id IN (SELECT joint_unit_id FROM joint_unit_partners WHERE organization_id = {org}))"
            ),
            "students" if partner => format!("t.home_organization_id = {org}"),
            "programs" | "joint_units" | "students" | "visits" => "1 = 0".to_owned(),
            other => panic!("no oracle for who sees {other}: write it from DESIGN.md"),
        }
    }

    /// The rows of `t` on which this reader may read a field under `rule`.
    pub(super) fn reads(&self, rule: Rule) -> String {
        if self.staff() {
            return "1 = 1".to_owned();
        }
        let org = self.org();
        match rule {
            Rule::PersonEmail => format!("t.organization_id = {org}"),
            Rule::StudentEmail => format!("t.home_organization_id = {org}"),
            Rule::StudentDateOfBirth => "1 = 0".to_owned(),
            Rule::AgreementSummary => format!(
                "t.id IN (SELECT agreement_id FROM agreement_parties WHERE organization_id = {org})"
            ),
            other => panic!("no oracle for the field rule {other:?}: write it from DESIGN.md"),
        }
    }
}
