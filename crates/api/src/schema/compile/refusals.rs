//! Refused fields placed in a one-statement answer: each marker the
//! statement wrote (`json::REFUSED`, `{"!":n}`) becomes `null`, with its
//! refusal's error at its path and at the field's place in the document —
//! `FORBIDDEN` for a field the role may not read on that row, the service's
//! error for a field whose arguments it refuses — in one pass over the
//! answer's text (no tree is built: a partner's page refuses a field on most
//! rows).

use async_graphql::{PathSegment, ServerError};

/// What a refusal marker stands for.
#[derive(Clone, Debug)]
pub struct Refusal {
    /// The error at each place the marker is found (its path added).
    pub error: ServerError,
    /// Whether its `null` stays in place (a nullable field the role may
    /// not read), or may have to bubble up to the nearest nullable field
    /// (a field whose arguments are refused: `schema::finish` puts it
    /// there).
    pub in_place: bool,
}

/// How the scanner stands in a container.
enum Frame {
    /// In an object: whether the next string is a key.
    Object { key_next: bool },
    /// In a list: the index of the current item.
    List { index: usize },
}

/// One step of the path to where the scanner stands: an object's key as
/// its JSON text (quoted, escapes kept: decoded only for an error's path),
/// or a list's index.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

impl Step<'_> {
    fn segment(self) -> Option<PathSegment> {
        Some(match self {
            Step::Key(text) => match text.get(1..text.len().checked_sub(1)?) {
                Some(plain) if !plain.contains('\\') => PathSegment::Field(plain.to_owned()),
                _ => PathSegment::Field(serde_json::from_str(text).ok()?),
            },
            Step::Index(index) => PathSegment::Index(index),
        })
    }
}

/// The answer's text with every marker replaced by `null` (and the
/// whitespace between tokens left out), the errors in the answer's order,
/// and whether a `null` placed may have to bubble up (a refusal not
/// [`Refusal::in_place`]). `None` when the text is not a statement's
/// answer (a bug: the caller logs it). Text is copied in runs between what
/// changes; a key is decoded only into the path of an error.
pub fn place(data: &str, refusals: &[Refusal]) -> Option<(String, Vec<ServerError>, bool)> {
    let bytes = data.as_bytes();
    let mut out = String::with_capacity(data.len());
    // `data[copied..i]` is still to be copied to `out`.
    let mut copied = 0;
    let mut frames: Vec<Frame> = Vec::new();
    let mut path: Vec<Step<'_>> = Vec::new();
    let mut errors = Vec::new();
    let mut bubbles = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let end = string_end(bytes, i)?;
                if let Some(Frame::Object { key_next }) = frames.last_mut()
                    && *key_next
                {
                    *key_next = false;
                    *path.last_mut()? = Step::Key(data.get(i..end)?);
                }
                i = end;
            }
            b'{' => {
                if let Some((n, end)) = marker(bytes, i) {
                    let refusal = refusals.get(n)?;
                    bubbles |= !refusal.in_place;
                    let mut error = refusal.error.clone();
                    error.path = path
                        .iter()
                        .map(|step| step.segment())
                        .collect::<Option<_>>()?;
                    errors.push(error);
                    out.push_str(data.get(copied..i)?);
                    out.push_str("null");
                    (i, copied) = (end, end);
                    continue;
                }
                frames.push(Frame::Object { key_next: true });
                path.push(Step::Key("\"\""));
                i += 1;
            }
            b'[' => {
                frames.push(Frame::List { index: 0 });
                path.push(Step::Index(0));
                i += 1;
            }
            b'}' | b']' => {
                frames.pop()?;
                path.pop()?;
                i += 1;
            }
            b',' => {
                match frames.last_mut()? {
                    Frame::Object { key_next } => *key_next = true,
                    Frame::List { index } => {
                        *index += 1;
                        *path.last_mut()? = Step::Index(*index);
                    }
                }
                i += 1;
            }
            b' ' | b'\n' | b'\r' | b'\t' => {
                out.push_str(data.get(copied..i)?);
                i += 1;
                copied = i;
            }
            // `:`, numbers, `true`, `false`, `null`: ASCII.
            byte if byte.is_ascii() => i += 1,
            _ => return None,
        }
    }
    out.push_str(data.get(copied..)?);
    frames.is_empty().then_some((out, errors, bubbles))
}

/// The index just after the string starting at `start` (a `"`).
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The refusal `n` of a marker `{"!":n}` at `start` (whitespace allowed
/// between its tokens), and the index after it.
fn marker(bytes: &[u8], start: usize) -> Option<(usize, usize)> {
    let skip = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    let mut i = skip(start + 1);
    if bytes.get(i..i + 3)? != b"\"!\"" {
        return None;
    }
    i = skip(i + 3);
    if *bytes.get(i)? != b':' {
        return None;
    }
    i = skip(i + 1);
    let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    let n = std::str::from_utf8(&bytes[i..i + digits])
        .ok()?
        .parse()
        .ok()?;
    i = skip(i + digits);
    (*bytes.get(i)? == b'}').then_some((n, i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::Pos;

    #[test]
    fn markers_become_nulls_with_errors_at_their_paths_in_order() {
        let data = r#"{"people" : {"nodes": [{"name": "A, \"x\"", "email": {"!": 1}},
            {"name": "{\"!\":0}", "email": "b@x.org"}, {"email": {"!":0}, "tags": [[], {}]}]},
            "n": -1.5e3, "ok": true}"#;
        let forbidden = |message: &str, pos| Refusal {
            error: crate::schema::error::to_gql(&service::Error::Forbidden(message.to_owned()))
                .into_server_error(pos),
            in_place: true,
        };
        let refusals = vec![
            forbidden("zero", Pos { line: 2, column: 3 }),
            forbidden("one", Pos { line: 4, column: 5 }),
        ];
        let (text, errors, bubbles) = place(data, &refusals).expect("an answer");
        assert!(!bubbles);
        assert_eq!(
            text,
            r#"{"people":{"nodes":[{"name":"A, \"x\"","email":null},{"name":"{\"!\":0}","email":"b@x.org"},{"email":null,"tags":[[],{}]}]},"n":-1.5e3,"ok":true}"#
        );
        let placed: Vec<(String, String, Pos)> = errors
            .iter()
            .map(|e| {
                let path = serde_json::to_string(&e.path).expect("a path");
                (e.message.clone(), path, e.locations[0])
            })
            .collect();
        assert_eq!(
            placed,
            vec![
                (
                    "one".to_owned(),
                    r#"["people","nodes",0,"email"]"#.to_owned(),
                    Pos { line: 4, column: 5 }
                ),
                (
                    "zero".to_owned(),
                    r#"["people","nodes",2,"email"]"#.to_owned(),
                    Pos { line: 2, column: 3 }
                ),
            ]
        );
        assert!(errors.iter().all(|e| {
            e.extensions
                .as_ref()
                .and_then(|x| x.get("code"))
                .is_some_and(|c| c == &async_graphql::Value::from("FORBIDDEN"))
        }));
        // Not a statement's answer: an unknown refusal, an unclosed object.
        assert!(place(r#"{"a":{"!":7}}"#, &refusals).is_none());
        assert!(place(r#"{"a":[1,2]"#, &refusals).is_none());
    }
}
