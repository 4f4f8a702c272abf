//! Partner and other organizations of the generated world, and their staff.

use super::*;

// Organizations and their people

pub(super) fn spec(code: &str) -> Option<&'static CountryNames> {
    names::country(code)
}

/// Creates a university of the country with a name not used yet.
pub(super) fn new_university(b: &mut Builder, spec: &'static CountryNames) -> Option<i64> {
    let mut options: Vec<(usize, usize)> = (0..spec.universities.len())
        .flat_map(|t| (0..spec.cities.len()).map(move |c| (t, c)))
        .collect();
    b.rng.shuffle(&mut options);
    for (t, c) in options {
        let (Some(&(pattern, slug, short)), Some(&city)) =
            (spec.universities.get(t), spec.cities.get(c))
        else {
            continue;
        };
        let name = pattern.replace("{city}", city);
        if b.org_name_taken(&name) {
            continue;
        }
        let city_slug = names::ascii_slug(city, &[]);
        let website = format!(
            "https://www.{}.{}",
            slug.replace("{city}", &city_slug),
            spec.edu_tld
        );
        let short = short.replace("{city}", city);
        let short = (!short.is_empty()).then_some(short);
        let founded = b.rng.i32(earliest_founding(spec.code)..=2012);
        let id = b.organization(
            OrganizationKind::University,
            &name,
            short.as_deref(),
            spec.code,
            city,
            &website,
            Some(founded),
            None,
            None,
            None,
        );
        return Some(id);
    }
    None
}

pub(super) fn new_company(b: &mut Builder, spec: &'static CountryNames) -> Option<i64> {
    for _ in 0..40 {
        let (sector, industry, field) = pick(&mut b.rng, *SECTORS);
        let stem = pick(&mut b.rng, &spec.company_stems);
        let pattern = pick(&mut b.rng, &spec.companies);
        let city = pick(&mut b.rng, &spec.cities);
        let name = pattern
            .replace("{name}", &format!("{stem} {sector}"))
            .replace("{city}", city);
        if b.org_name_taken(&name) {
            continue;
        }
        let first_word = sector.split(' ').next().unwrap_or(sector);
        let website = format!(
            "https://www.{}-{}.{}",
            names::ascii_slug(stem, &[]),
            names::ascii_slug(first_word, &[]),
            spec.com_tld
        );
        let founded = b.rng.i32(earliest_founding(spec.code).max(1950)..=2016);
        let id = b.organization(
            OrganizationKind::Company,
            &name,
            None,
            spec.code,
            city,
            &website,
            Some(founded),
            Some(industry),
            None,
            Some(field),
        );
        return Some(id);
    }
    None
}

pub(super) fn new_institute(b: &mut Builder, spec: &'static CountryNames) -> Option<i64> {
    for _ in 0..40 {
        let (topic, field) = pick(&mut b.rng, *INSTITUTE_TOPICS);
        let pattern = pick(&mut b.rng, *INSTITUTE_PATTERNS);
        let city = pick(&mut b.rng, &spec.cities);
        let name = pattern
            .replace("{adj}", spec.adjective)
            .replace("{city}", city)
            .replace("{topic}", topic);
        if b.org_name_taken(&name) {
            continue;
        }
        let acronym: String = name
            .split([' ', ','])
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .filter_map(|w| w.chars().next())
            .collect();
        let website = format!(
            "https://www.{}.{}",
            names::ascii_slug(&acronym, &[]),
            spec.com_tld
        );
        let description = format!("Applied research institute for {}.", topic.to_lowercase());
        let founded = b.rng.i32(earliest_founding(spec.code).max(1952)..=2012);
        let id = b.organization(
            OrganizationKind::Institute,
            &name,
            Some(&acronym),
            spec.code,
            city,
            &website,
            Some(founded),
            None,
            Some(&description),
            Some(field),
        );
        return Some(id);
    }
    None
}

/// Who signs for a university of the country, and its international officer.
pub(super) fn university_titles(country: &str) -> (&'static str, &'static str) {
    match country {
        "GB" | "IE" | "AU" | "NZ" | "ZA" | "KE" | "NG" => {
            ("Vice-Chancellor", "Pro-Vice-Chancellor (International)")
        }
        "US" | "CA" => ("President", "Vice President for Global Engagement"),
        "FR" | "MA" => ("President", "Vice-President for International Relations"),
        "DE" | "AT" | "CH" | "PL" | "CZ" | "HU" | "RU" | "BG" | "KZ" | "UZ" | "UA" | "IT"
        | "ES" | "PT" | "BR" | "MX" | "CL" | "AR" | "CO" | "TR" | "GR" | "BE" | "NL" | "FI"
        | "SE" | "NO" | "DK" | "MN" => ("Rector", "Vice-Rector for International Relations"),
        _ => ("President", "Vice-President for International Affairs"),
    }
}

/// The signatory and a few more people of a new organization.
pub(super) fn staff_organization(b: &mut Builder, org: i64) {
    let Some(info) = b.orgs.get(&org).cloned() else {
        return;
    };
    let signatory_title = match info.kind {
        OrganizationKind::University => {
            let (head, international) = university_titles(info.country);
            if b.rng.u8(..100) < 35 {
                head
            } else {
                international
            }
        }
        OrganizationKind::Company => match info.country {
            "DE" | "AT" | "CH" | "GB" | "IE" => "Managing Director",
            "JP" | "KR" => "President and CEO",
            _ => pick(&mut b.rng, &["Chief Executive Officer", "General Manager"]),
        },
        OrganizationKind::Institute => "Director",
    };
    let signatory = b.person(org, signatory_title);
    b.set_signatory(org, signatory);
    let extra: &[&str] = match info.kind {
        OrganizationKind::University => &[
            "Head of International Office",
            "Professor of Engineering",
            "Associate Professor of Computer Science",
            "Dean of the Faculty of Engineering",
            "Professor of Environmental Engineering",
            "Senior Lecturer in Mechanical Engineering",
            "International Relations Coordinator",
            "Professor of Business Administration",
            "Professor of Materials Science",
        ],
        OrganizationKind::Company => &[
            "Head of Research and Development",
            "Chief Technology Officer",
            "Human Resources Director",
            "Senior Engineer",
        ],
        OrganizationKind::Institute => &[
            "Senior Researcher",
            "Head of Department",
            "Research Group Leader",
        ],
    };
    let count = match info.kind {
        OrganizationKind::University => 1 + b.rng.usize(..2),
        OrganizationKind::Company => b.rng.usize(..2),
        OrganizationKind::Institute => 1,
    };
    let mut titles: Vec<&str> = extra.to_vec();
    b.rng.shuffle(&mut titles);
    for title in titles.into_iter().take(count) {
        b.person(org, title);
    }
}

/// The 171 partner organizations, the story's three among them, in plan order.
pub(super) fn partner_organizations(b: &mut Builder, story: &Story) -> Vec<i64> {
    let story_partners = [story.techprotect, story.rousse, story.tu_dublin];
    let mut partners = Vec::new();
    for &(code, total) in &PLAN.partners {
        let Some(spec) = spec(code) else {
            continue;
        };
        let existing: Vec<i64> = story_partners
            .iter()
            .copied()
            .filter(|id| b.orgs.get(id).is_some_and(|o| o.country == code))
            .collect();
        partners.extend(&existing);
        let n = total.saturating_sub(existing.len());
        // Roughly a fifth companies, one institute per seven, the rest universities.
        let companies = (n * 2 + 4) / 9;
        let institutes = n / 7;
        let universities = n.saturating_sub(companies + institutes);
        for i in 0..n {
            let made = if i < universities {
                new_university(b, spec).or_else(|| new_company(b, spec))
            } else if i < universities + companies {
                new_company(b, spec)
            } else {
                new_institute(b, spec)
            };
            if let Some(id) = made {
                staff_organization(b, id);
                partners.push(id);
            }
        }
    }
    partners
}

/// Why an organization is not a partner on 2024-04-03.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NotPartner {
    /// Its only agreement with SPU expired.
    Expired,
    /// Its only agreement with SPU was terminated.
    Terminated,
    UnderNegotiation,
    Draft,
    /// Signed before the date, starts in September 2024.
    StartsLater,
    /// Signed after the date.
    SignedLater,
    /// Its active agreement is with a partner, not with SPU.
    NoHomeParty,
    /// No agreement at all (event co-organizers, employers of visiting experts).
    NoAgreement,
}

pub(super) fn non_partner_organizations(b: &mut Builder) -> Vec<(i64, NotPartner)> {
    use NotPartner::*;
    use OrganizationKind::*;
    let plan: &[(&str, OrganizationKind, NotPartner)] = &[
        ("GR", University, Expired),
        ("BE", University, Expired),
        ("FR", Institute, Expired),
        ("AR", University, Expired),
        ("TR", University, Expired),
        ("DE", Company, Expired),
        ("SE", Company, Expired),
        ("UA", University, Terminated),
        ("GB", Company, Terminated),
        ("IN", Company, Terminated),
        ("AE", University, UnderNegotiation),
        ("MA", University, Draft),
        ("CO", University, UnderNegotiation),
        ("IT", University, StartsLater),
        ("NO", University, SignedLater),
        ("BG", Company, NoHomeParty),
        ("CN", Company, NoAgreement),
        ("CN", Institute, NoAgreement),
        ("DK", University, NoAgreement),
        ("US", Company, NoAgreement),
    ];
    let mut out = Vec::new();
    for &(code, kind, why) in plan {
        let Some(spec) = spec(code) else {
            continue;
        };
        let made = match kind {
            University => new_university(b, spec),
            Company => new_company(b, spec),
            Institute => new_institute(b, spec),
        };
        if let Some(id) = made {
            staff_organization(b, id);
            out.push((id, why));
        }
    }
    out
}
