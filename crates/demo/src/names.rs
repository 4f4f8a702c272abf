//! Name material for the generated part of the demo data, kept as data in
//! `data/names.toml`: per country, real cities, naming patterns for
//! universities, companies and institutes, and given and family names
//! plausible for its nationals. The file is embedded, parsed once, and checked
//! by the unit tests below.
//!
//! Patterns use `{city}` (a city of the country) and `{name}` (a company
//! stem followed by a sector word). A university pattern is `(name, web slug,
//! short name)`; an empty short name means none.

use std::sync::LazyLock;

use serde::Deserialize;

/// What the generator knows about one country (`S`: the text type, owned
/// while parsing, then `&'static str`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountryNames<S = &'static str> {
    pub code: S,
    /// Adjective, as in "German".
    pub adjective: S,
    /// ISO 639-1 code of the main language of instruction.
    pub language: S,
    pub cities: Vec<S>,
    pub universities: Vec<(S, S, S)>,
    /// Company name patterns, `{name}` is "Stem Sector".
    pub companies: Vec<S>,
    pub company_stems: Vec<S>,
    /// Top-level domain of universities (`ac.uk`, `edu`, `de`, …).
    pub edu_tld: S,
    /// Top-level domain of companies and institutes.
    pub com_tld: S,
    pub male: Vec<S>,
    pub female: Vec<S>,
    pub surnames: Vec<S>,
    /// Female forms of `surnames`, index for index; empty when the same.
    pub surnames_female: Vec<S>,
    /// Family name written first (Chinese, Korean, Vietnamese, Hungarian).
    pub family_first: bool,
}

/// The whole of `data/names.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Names<S = &'static str> {
    institute_patterns: Vec<S>,
    sectors: Vec<(S, S, S)>,
    institute_topics: Vec<(S, S)>,
    country: Vec<CountryNames<S>>,
}

/// The parsed text lives as long as the process (it is read once, into a
/// static), so the generator can hand out `&'static str` like literals.
pub(crate) fn keep(text: String) -> &'static str {
    text.leak()
}

fn keep_all(texts: Vec<String>) -> Vec<&'static str> {
    texts.into_iter().map(keep).collect()
}

impl Names<String> {
    fn keep(self) -> Names {
        Names {
            institute_patterns: keep_all(self.institute_patterns),
            sectors: (self.sectors.into_iter())
                .map(|(a, b, c)| (keep(a), keep(b), keep(c)))
                .collect(),
            institute_topics: (self.institute_topics.into_iter())
                .map(|(a, b)| (keep(a), keep(b)))
                .collect(),
            country: self.country.into_iter().map(CountryNames::keep).collect(),
        }
    }
}

impl CountryNames<String> {
    fn keep(self) -> CountryNames {
        CountryNames {
            code: keep(self.code),
            adjective: keep(self.adjective),
            language: keep(self.language),
            cities: keep_all(self.cities),
            universities: (self.universities.into_iter())
                .map(|(a, b, c)| (keep(a), keep(b), keep(c)))
                .collect(),
            companies: keep_all(self.companies),
            company_stems: keep_all(self.company_stems),
            edu_tld: keep(self.edu_tld),
            com_tld: keep(self.com_tld),
            male: keep_all(self.male),
            female: keep_all(self.female),
            surnames: keep_all(self.surnames),
            surnames_female: keep_all(self.surnames_female),
            family_first: self.family_first,
        }
    }
}

static NAMES: LazyLock<Names> = LazyLock::new(|| {
    toml::from_str::<Names<String>>(include_str!("../data/names.toml"))
        .unwrap_or_else(|e| panic!("data/names.toml: {e}"))
        .keep()
});

/// Sector words of company names, the industry they stand for, and the
/// ISCED-F field closest to it.
pub static SECTORS: LazyLock<&'static [(&'static str, &'static str, &'static str)]> =
    LazyLock::new(|| &NAMES.sectors);

/// Research institute topics and their ISCED-F field.
pub static INSTITUTE_TOPICS: LazyLock<&'static [(&'static str, &'static str)]> =
    LazyLock::new(|| &NAMES.institute_topics);

/// Institute name patterns; `{adj}` is the country adjective, `{topic}` a topic.
pub static INSTITUTE_PATTERNS: LazyLock<&'static [&'static str]> =
    LazyLock::new(|| &NAMES.institute_patterns);

/// Every country the generator knows, the home country first.
pub static COUNTRIES: LazyLock<&'static [CountryNames]> = LazyLock::new(|| &NAMES.country);

/// The name material of a country (every code the generator uses is listed).
pub fn country(code: &str) -> Option<&'static CountryNames> {
    COUNTRIES.iter().find(|c| c.code == code)
}

/// Lowercase ASCII for e-mail addresses and web slugs: diacritics folded,
/// German umlauts spelled out, anything else that is not a letter or digit
/// dropped (spaces, apostrophes, hyphens), except `keep` characters.
pub fn ascii_slug(text: &str, keep: &[char]) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        let lower: String = ch.to_lowercase().collect();
        for c in lower.chars() {
            let folded: &str = match c {
                'a'..='z' | '0'..='9' => {
                    out.push(c);
                    continue;
                }
                'ä' => "ae",
                'ö' => "oe",
                'ü' => "ue",
                'ß' => "ss",
                'æ' => "ae",
                'ø' => "o",
                'å' | 'á' | 'à' | 'â' | 'ã' | 'ā' | 'ą' => "a",
                'é' | 'è' | 'ê' | 'ë' | 'ě' | 'ę' | 'ē' => "e",
                'í' | 'ì' | 'î' | 'ï' | 'ı' | 'ī' => "i",
                'ó' | 'ò' | 'ô' | 'õ' | 'ő' | 'ō' => "o",
                'ú' | 'ù' | 'û' | 'ű' | 'ů' | 'ū' => "u",
                'ç' | 'č' | 'ć' => "c",
                'ñ' | 'ń' | 'ň' => "n",
                'š' | 'ś' | 'ş' => "s",
                'ž' | 'ź' | 'ż' => "z",
                'ł' => "l",
                'ř' => "r",
                'ý' => "y",
                'ď' => "d",
                'ť' => "t",
                'ğ' => "g",
                other if keep.contains(&other) => {
                    out.push(other);
                    continue;
                }
                _ => "",
            };
            out.push_str(folded);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_field_code(code: &str) -> bool {
        code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit())
    }

    #[test]
    fn the_name_file_parses_and_every_country_has_names_to_give() {
        assert!(COUNTRIES.len() > 40, "{} countries", COUNTRIES.len());
        for c in COUNTRIES.iter() {
            let what = c.code;
            assert!(
                c.code.len() == 2 && c.code.bytes().all(|b| b.is_ascii_uppercase()),
                "{what}"
            );
            assert_eq!(c.language.len(), 2, "{what}: language");
            assert!(!c.adjective.is_empty() && !c.edu_tld.is_empty() && !c.com_tld.is_empty());
            for (list, name) in [
                (&c.cities, "cities"),
                (&c.male, "male"),
                (&c.female, "female"),
                (&c.surnames, "surnames"),
                (&c.companies, "companies"),
                (&c.company_stems, "company_stems"),
            ] {
                assert!(!list.is_empty(), "{what}: no {name}");
                assert!(
                    list.iter().all(|s| !s.trim().is_empty()),
                    "{what}: blank in {name}"
                );
            }
            assert!(
                c.surnames_female.is_empty() || c.surnames_female.len() == c.surnames.len(),
                "{what}: female surnames go index for index"
            );
            assert!(!c.universities.is_empty(), "{what}: universities");
        }
    }

    #[test]
    fn country_codes_are_unique_and_found() {
        let mut codes: Vec<&str> = COUNTRIES.iter().map(|c| c.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), COUNTRIES.len());
        assert_eq!(country("DE").map(|c| c.adjective), Some("German"));
        assert!(country("XX").is_none());
    }

    #[test]
    fn patterns_name_their_placeholders_and_fields_are_isced_codes() {
        for c in COUNTRIES.iter() {
            assert!(
                c.companies.iter().all(|p| p.contains("{name}")),
                "{}",
                c.code
            );
            assert!(
                c.universities
                    .iter()
                    .all(|(p, _, _)| p.contains("{city}") || !p.contains('{'))
            );
        }
        assert!(INSTITUTE_PATTERNS.iter().all(|p| p.contains("{topic}")));
        assert!(SECTORS.iter().all(|(_, _, field)| is_field_code(field)));
        assert!(
            INSTITUTE_TOPICS
                .iter()
                .all(|(_, field)| is_field_code(field))
        );
    }

    #[test]
    fn slugs_are_plain_ascii() {
        assert_eq!(
            ascii_slug("Universität Düsseldorf", &[]),
            "universitaetduesseldorf"
        );
        assert_eq!(ascii_slug("Łódź-Øst", &['-']), "lodz-ost");
    }
}
