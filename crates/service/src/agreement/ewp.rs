//! Agreements as Erasmus Without Paper (EWP) inter-institutional
//! agreements: the IIAs API v7 `iias-get-response` document of an
//! agreement between two organizations with SCHAC codes, and its
//! `iia-hash` as the specification's XSLT (`resources/xsltKit/
//! transform_version_7.xsl` of `ewp-specs-api-iias`) defines it.
//!
//! The hash is SHA-256 (hex) of a text built from the document:
//! `_@terminated-as-a-whole@_` when any `cooperation-conditions` of the
//! document says so; `_iia-id_<n>=<id>_` for each partner in order; then
//! for each mobility specification, every element below it in document
//! order except contacts (and what is inside them), the two academic-year
//! elements and whatever is marked `not-yet-defined` (or lies inside such
//! an element): its attributes but `not-yet-defined` and `v6-value` as
//! `_@<grandparent>.<parent>.<element>.<attribute>=<value>@_`, and, when
//! it has no child elements, its text as `_<grandparent>.<parent>.
//! <element>=<text>_` (an `isced-f-code`'s `v6-value` instead, when it
//! has one); and last the mobility's `receiving-first-academic-year-id`
//! and `receiving-last-academic-year-id` as `_<name>=<value>_`.

use roxmltree::{Document, Node};
use sha2::{Digest, Sha256};

use crate::{Error, Result};

/// The namespace of IIAs API v7 `get` responses.
pub const NAMESPACE: &str = "https://github.com/erasmus-without-paper/ewp-specs-api-iias/blob/stable-v7/endpoints/get-response.xsd";
/// The namespace of EWP contacts.
pub const CONTACT: &str =
    "https://github.com/erasmus-without-paper/ewp-specs-types-contact/tree/stable-v1";

/// The largest document accepted, in bytes.
pub const MAX_DOCUMENT: usize = 1 << 20;
/// The deepest nesting of elements accepted.
pub const MAX_DEPTH: usize = 32;
/// The most nodes a document may hold.
const MAX_NODES: u32 = 100_000;

/// Parses an XML document as an untrusted one: no DTD (and so no entity
/// of any kind: no external entity, no expansion), at most
/// [`MAX_DOCUMENT`] bytes, [`MAX_DEPTH`] levels and a bounded number of
/// nodes. A refusal is `BAD_USER_INPUT` naming `field`.
pub fn parse<'a>(field: &str, xml: &'a str) -> Result<Document<'a>> {
    let refuse = |why: String| Error::bad_input(field, format!("`{field}` is not accepted: {why}"));
    if xml.len() > MAX_DOCUMENT {
        return Err(refuse(format!(
            "the document is larger than {MAX_DOCUMENT} bytes"
        )));
    }
    // A DOCTYPE is refused before parsing: nothing of it is read.
    if xml.contains("<!DOCTYPE") || xml.contains("<!ENTITY") {
        return Err(refuse(
            "documents with a DTD or entity declarations are refused".to_owned(),
        ));
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
    };
    let document = Document::parse_with_options(xml, options)
        .map_err(|error| refuse(format!("it is not well-formed XML ({error})")))?;
    let deepest = document
        .descendants()
        .filter(Node::is_element)
        .map(|n| n.ancestors().count())
        .max()
        .unwrap_or(0);
    if deepest > MAX_DEPTH {
        return Err(refuse(format!(
            "elements are nested deeper than {MAX_DEPTH} levels"
        )));
    }
    Ok(document)
}

fn local<'a>(node: &Node<'a, '_>) -> &'a str {
    node.tag_name().name()
}

fn children<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |c| c.is_element() && local(c) == name)
}

/// The text of an element and everything inside it (XPath's string value).
pub(super) fn string_value(node: Node<'_, '_>) -> String {
    node.descendants()
        .filter(Node::is_text)
        .filter_map(|t| t.text())
        .collect()
}

fn defined_false(node: &Node<'_, '_>) -> bool {
    matches!(node.attribute("not-yet-defined"), Some("true" | "1"))
}

/// The text the hash of `iia` (an `iia` element of `document`) is taken of.
pub fn text_to_hash(document: &Document<'_>, iia: Node<'_, '_>) -> String {
    let mut out = String::new();
    let terminated = document.descendants().any(|n| {
        n.is_element()
            && local(&n) == "cooperation-conditions"
            && matches!(n.attribute("terminated-as-a-whole"), Some("true" | "1"))
    });
    if terminated {
        out.push_str("_@terminated-as-a-whole@_");
    }
    for (i, partner) in children(iia, "partner").enumerate() {
        let id = children(partner, "iia-id")
            .next()
            .map(string_value)
            .unwrap_or_default();
        out.push_str(&format!("_iia-id_{}={id}_", i + 1));
    }
    for conditions in children(iia, "cooperation-conditions") {
        for mobility in conditions.children().filter(Node::is_element) {
            for node in mobility.descendants().skip(1).filter(Node::is_element) {
                let inside = |name: &str| {
                    node.ancestors()
                        .skip(1)
                        .any(|a| a.is_element() && local(&a) == name)
                };
                let name = local(&node);
                if inside("sending-contact")
                    || inside("receiving-contact")
                    || name == "receiving-first-academic-year-id"
                    || name == "receiving-last-academic-year-id"
                    || node
                        .ancestors()
                        .any(|a| a.is_element() && defined_false(&a))
                {
                    continue;
                }
                let parent = node.parent_element();
                let grandparent = parent.and_then(|p| p.parent_element());
                let name_of =
                    |n: Option<Node<'_, '_>>| n.map(|n| local(&n).to_owned()).unwrap_or_default();
                for attribute in node.attributes() {
                    if matches!(attribute.name(), "not-yet-defined" | "v6-value") {
                        continue;
                    }
                    out.push_str(&format!(
                        "_@{}.{}.{name}.{}={}@_",
                        name_of(grandparent),
                        name_of(parent),
                        attribute.name(),
                        attribute.value()
                    ));
                }
                if !node.children().any(|c| c.is_element()) {
                    let value = match node.attribute("v6-value") {
                        Some(v6) if name == "isced-f-code" && !v6.is_empty() => v6.to_owned(),
                        _ => string_value(node),
                    };
                    out.push_str(&format!(
                        "_{}.{}.{name}={value}_",
                        name_of(grandparent),
                        name_of(parent)
                    ));
                }
            }
            for name in [
                "receiving-first-academic-year-id",
                "receiving-last-academic-year-id",
            ] {
                let value = children(mobility, name)
                    .next()
                    .map(string_value)
                    .unwrap_or_default();
                out.push_str(&format!("_{name}={value}_"));
            }
        }
    }
    out
}

/// The `iia-hash` of `iia`: SHA-256 of [`text_to_hash`], in lower-case hex.
pub fn iia_hash(document: &Document<'_>, iia: Node<'_, '_>) -> String {
    let digest = Sha256::digest(text_to_hash(document, iia).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Each `iia` element of a document with the hash it states and the hash
/// computed from it.
pub fn hashes(document: &Document<'_>) -> Vec<(Option<String>, String)> {
    document
        .descendants()
        .filter(|n| n.is_element() && local(n) == "iia")
        .map(|iia| {
            let stated = children(iia, "iia-hash").next().map(string_value);
            (stated, iia_hash(document, iia))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KIT: &str = include_str!("../../tests/ewp/xslt-kit-get-response-v7.xml");
    const EXAMPLE: &str = include_str!("../../tests/ewp/get-response-example.xml");

    #[test]
    fn the_official_examples_hash_to_their_stated_values() {
        for (name, xml) in [("xsltKit v7", KIT), ("endpoints example", EXAMPLE)] {
            let document = parse("xml", xml).expect("the official example parses");
            let found = hashes(&document);
            assert_eq!(found.len(), 1, "{name}");
            let (stated, computed) = &found[0];
            assert_eq!(stated.as_deref(), Some(computed.as_str()), "{name}");
        }
    }

    #[test]
    fn the_text_is_the_xslt_kits() {
        // The text `resources/xsltKit/README.md` shows for its v7 example.
        let document = parse("xml", KIT).expect("parses");
        let iia = document
            .descendants()
            .find(|n| n.has_tag_name((NAMESPACE, "iia")))
            .expect("an iia");
        let text = text_to_hash(&document, iia);
        let expected = concat!(
            "_iia-id_1=0f7a5682-faf7-49a7-9cc7-ec486c49a281__iia-id_2=1954991_",
            "_cooperation-conditions.student-studies-mobility-spec.sending-hei-id=uw.edu.pl_",
            "_cooperation-conditions.student-studies-mobility-spec.sending-ounit-id=140_",
            "_cooperation-conditions.student-studies-mobility-spec.receiving-hei-id=hibo.no_",
            "_student-studies-mobility-spec.subject-area.isced-f-code=031_",
            "_student-studies-mobility-spec.subject-area.isced-clarification=Social and behavioural sciences_",
            "_cooperation-conditions.student-studies-mobility-spec.total-months-per-year=5_",
            "_cooperation-conditions.student-studies-mobility-spec.blended=false_",
            "_cooperation-conditions.student-studies-mobility-spec.eqf-level=7_",
            "_cooperation-conditions.student-studies-mobility-spec.eqf-level=8_",
            "_receiving-first-academic-year-id=2014/2015__receiving-last-academic-year-id=2020/2021_",
            "_cooperation-conditions.staff-teacher-mobility-spec.sending-hei-id=uw.edu.pl_",
            "_cooperation-conditions.staff-teacher-mobility-spec.sending-ounit-id=140_",
            "_cooperation-conditions.staff-teacher-mobility-spec.receiving-hei-id=hibo.no_",
            "_cooperation-conditions.staff-teacher-mobility-spec.mobilities-per-year=2_",
            "_staff-teacher-mobility-spec.recommended-language-skill.language=en_",
            "_staff-teacher-mobility-spec.recommended-language-skill.cefr-level=C1_",
            "_staff-teacher-mobility-spec.subject-area.isced-f-code=0314_",
            "_cooperation-conditions.staff-teacher-mobility-spec.total-days-per-year=8_",
            "_receiving-first-academic-year-id=2016/2017__receiving-last-academic-year-id=2017/2018_",
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn a_change_of_a_condition_changes_the_hash_and_a_contact_does_not() {
        let document = parse("xml", EXAMPLE).expect("parses");
        let (_, original) = hashes(&document).remove(0);
        let changed = EXAMPLE.replacen(
            "<mobilities-per-year>2</mobilities-per-year>",
            "<mobilities-per-year>3</mobilities-per-year>",
            1,
        );
        assert_ne!(
            hashes(&parse("xml", &changed).expect("parses")).remove(0).1,
            original
        );
        let contact = EXAMPLE.replacen("Monica Turner", "Monica Turner-Smith", 1);
        assert_eq!(
            hashes(&parse("xml", &contact).expect("parses")).remove(0).1,
            original
        );
    }

    #[test]
    fn hostile_documents_are_refused() {
        let laughs = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><a>&lol2;</a>"#;
        let passwd = r#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>"#;
        for xml in [laughs, passwd] {
            let error = parse("xml", xml).expect_err("refused");
            assert_eq!(error.code(), "BAD_USER_INPUT");
            assert!(error.to_string().contains("DTD"), "{error}");
        }
        let deep = format!(
            "{}{}",
            "<a>".repeat(MAX_DEPTH + 1),
            "</a>".repeat(MAX_DEPTH + 1)
        );
        assert!(
            parse("xml", &deep)
                .expect_err("too deep")
                .to_string()
                .contains("deeper")
        );
        let large = format!("<a>{}</a>", "x".repeat(MAX_DOCUMENT));
        assert!(
            parse("xml", &large)
                .expect_err("too large")
                .to_string()
                .contains("larger")
        );
        assert!(
            parse("xml", "<a><b></a>")
                .expect_err("malformed")
                .to_string()
                .contains("well-formed")
        );
        // An undeclared entity is an error, not an empty text.
        assert!(parse("xml", "<a>&x;</a>").is_err());
    }
}
