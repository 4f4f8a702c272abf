//! What text may hold. Every string that enters the service — names, filters,
//! searches, ids — is refused when it carries characters that corrupt storage
//! or deceive readers: NUL and the other C0/C1 control characters (tab, line
//! feed and carriage return excepted), bidirectional embeddings, overrides and
//! isolates (the "Trojan Source" characters), and invisible zero-width
//! spaces. Joiners (ZWJ, ZWNJ) stay: scripts and emoji need them.

use crate::{Error, Result};

/// The character that makes `text` unacceptable, if any.
pub fn forbidden(text: &str) -> Option<char> {
    text.chars().find(|&c| is_forbidden(c))
}

fn is_forbidden(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        // Bidi embeddings and overrides, isolates.
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        // Zero-width space, word joiner, zero-width no-break space (BOM).
        '\u{200b}' | '\u{2060}' | '\u{feff}' => true,
        _ => false,
    }
}

/// Refuses `text` when it holds a forbidden character; `field` names the input.
pub fn check(field: &str, text: &str) -> Result<()> {
    match forbidden(text) {
        None => Ok(()),
        Some(_) => Err(Error::bad_input(
            field,
            format!(
                "`{field}` holds a control or invisible formatting character, which is not accepted"
            ),
        )),
    }
}

/// A name as it is stored: Unicode NFC (a decomposed `ä` is the composed
/// one), every run of whitespace one space, trimmed, and without the
/// invisible characters that make two names look alike while they differ
/// (soft hyphens, direction marks, Hangul fillers, tag characters: Unicode's
/// default-ignorable code points). What a script needs stays: the joiners
/// (ZWJ, ZWNJ) between two visible characters, variation selectors after
/// one (emoji, ideographic variants).
pub fn normalize_name(text: &str) -> String {
    use icu_properties::CodePointSetData;
    use icu_properties::props::DefaultIgnorableCodePoint;
    let ignorable = CodePointSetData::new::<DefaultIgnorableCodePoint>();
    let nfc = icu_normalizer::ComposingNormalizerBorrowed::new_nfc().normalize(text);
    let chars: Vec<char> = nfc.chars().collect();
    let visible =
        |c: Option<&char>| c.is_some_and(|c| !c.is_whitespace() && !ignorable.contains(*c));
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if ignorable.contains(c) {
            let before = i.checked_sub(1).and_then(|j| chars.get(j));
            let after = chars.get(i + 1);
            let keep = match c {
                '\u{200c}' | '\u{200d}' => visible(before) && visible(after),
                '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}' => visible(before),
                _ => false,
            };
            if !keep || space {
                continue;
            }
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// Whether `name` (normalized) shows anything: a character that is neither
/// space nor blank (the Braille blank, U+2800, draws nothing either).
pub fn has_visible(name: &str) -> bool {
    name.chars()
        .any(|c| !c.is_whitespace() && c != '\u{2800}' && !matches!(c, '\u{200c}' | '\u{200d}'))
}

/// The key two names that differ only in case share: Unicode full case
/// folding (`ß` and `SS`, `Ä` and `ä`) of the normalized name, composed
/// again. Computed here, the same for SQLite and PostgreSQL, and stored
/// beside the name where names are unique.
pub fn name_key(name: &str) -> String {
    let folded = icu_casemap::CaseMapper::new().fold_string(name);
    icu_normalizer::ComposingNormalizerBorrowed::new_nfc()
        .normalize(&folded)
        .into_owned()
}

/// "a draft", "an active", "a University": the article English wants before
/// `word` (by its first sound, as far as the product's words go).
pub fn with_article(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let vowel_sound = lower.starts_with(['a', 'e', 'i', 'o', 'u'])
        && !["uni", "use", "eu", "one"]
            .iter()
            .any(|p| lower.starts_with(p));
    format!("{} {word}", if vowel_sound { "an" } else { "a" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalized_so_that_look_alikes_are_one() {
        // Decomposed `ä`, soft hyphen, double and odd spaces, direction marks.
        assert_eq!(
            normalize_name("Universita\u{308}t  Leipzig"),
            "Universität Leipzig"
        );
        assert_eq!(
            normalize_name("Uni\u{ad}versität Leipzig"),
            "Universität Leipzig"
        );
        assert_eq!(
            normalize_name(" \u{200e}Universität\u{3000}\tLeipzig "),
            "Universität Leipzig"
        );
        assert_eq!(normalize_name("Tech\u{e0041}Protect"), "TechProtect");
        // What scripts need stays: ZWNJ inside a Persian word, an emoji's
        // ZWJ sequence and its variation selector, CJK as it is.
        assert_eq!(normalize_name("می\u{200c}خواهم"), "می\u{200c}خواهم");
        assert_eq!(normalize_name("👩\u{200d}🔬 Lab"), "👩\u{200d}🔬 Lab");
        assert_eq!(normalize_name("❤\u{fe0f} Club"), "❤\u{fe0f} Club");
        assert_eq!(normalize_name("上海第二工业大学"), "上海第二工业大学");
        // A joiner at the edge of a word joins nothing.
        assert_eq!(normalize_name("\u{200d}Rousse"), "Rousse");
    }

    #[test]
    fn invisible_only_names_show_nothing() {
        for invisible in [
            "\u{3164}",
            "\u{2800}",
            "\u{ad}",
            "\u{200e}",
            "\u{115f}",
            "\u{200d}\u{200d}",
            "\u{e0041}\u{e0042}",
            "\u{3164} \u{2800}",
        ] {
            assert!(!has_visible(&normalize_name(invisible)), "{invisible:?}");
        }
        assert!(has_visible(&normalize_name("上")));
    }

    #[test]
    fn name_keys_ignore_case_in_every_script() {
        assert_eq!(
            name_key("UNIVERSITÄT LEIPZIG"),
            name_key("Universität Leipzig")
        );
        assert_eq!(name_key("STRASSE"), name_key("Straße"));
        assert_eq!(name_key("ΣΟΦΙΑ"), name_key("σοφια"));
        assert_ne!(name_key("Universität"), name_key("Universitat"));
    }

    #[test]
    fn plain_text_in_any_script_passes() {
        for text in [
            "TechProtect GmbH",
            "Université de Rousse",
            "上海第二工业大学",
            "جامعة",
            "line one\nline two\tand a tab",
            "नमस्ते",         // combining marks
            "👩\u{200d}🔬", // a zero-width joiner inside an emoji
        ] {
            assert_eq!(forbidden(text), None, "{text}");
        }
    }

    #[test]
    fn control_bidi_and_zero_width_characters_are_refused() {
        for (text, c) in [
            ("a\u{0}b", '\u{0}'),
            ("\u{1b}[31mred", '\u{1b}'),
            ("abc\u{7f}", '\u{7f}'),
            ("\u{85}", '\u{85}'),
            ("admin\u{202e}txt.exe", '\u{202e}'),
            ("\u{2066}x\u{2069}", '\u{2066}'),
            ("in\u{200b}visible", '\u{200b}'),
            ("\u{feff}bom", '\u{feff}'),
        ] {
            assert_eq!(forbidden(text), Some(c), "{text:?}");
        }
    }

    #[test]
    fn articles_follow_the_first_sound() {
        assert_eq!(with_article("active"), "an active");
        assert_eq!(with_article("draft"), "a draft");
        assert_eq!(with_article("under-negotiation"), "an under-negotiation");
        assert_eq!(with_article("University"), "a University");
        assert_eq!(with_article("Organization"), "an Organization");
    }

    #[test]
    fn the_error_names_the_field_and_not_the_text() {
        let err = check("input.name", "secret\u{0}").expect_err("refused");
        assert_eq!(err.code(), "BAD_USER_INPUT");
        assert_eq!(err.field(), Some("input.name"));
        assert!(!err.to_string().contains("secret"));
    }
}

/// Compares text as people read it: Unicode's root collation (letters
/// first; accents, then case, second) — the order PostgreSQL's `und-x-icu`
/// gives, for SQLite's registered collation.
pub fn collate(a: &str, b: &str) -> std::cmp::Ordering {
    use std::sync::LazyLock;
    static ROOT: LazyLock<Option<icu_collator::CollatorBorrowed<'static>>> = LazyLock::new(|| {
        icu_collator::Collator::try_new(Default::default(), Default::default()).ok()
    });
    match &*ROOT {
        Some(collator) => collator.compare(a, b),
        // The root collation's data is compiled in; bytes are the fallback.
        None => a.cmp(b),
    }
}

#[cfg(test)]
mod collation_tests {
    use super::collate;
    use std::cmp::Ordering::Less;

    #[test]
    fn names_sort_as_people_read_them() {
        assert_eq!(collate("Hochschule für Technik", "Hochschule Ulm"), Less);
        assert_eq!(collate("Technische Universität", "TechProtect"), Less);
        assert_eq!(collate("Universität Zürich", "université"), Less);
        assert_eq!(collate("apple", "Apple"), Less, "case second");
        assert_eq!(collate("Ångström", "Zürich"), Less, "accents second");
    }
}
