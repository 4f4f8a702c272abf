//! Refused fields placed in a one-statement answer: each marker the
//! statement wrote (`json::REFUSED`, `{"!":n}`) becomes `null`, with its
//! refusal's error at its path and at the field's place in the document —
//! `FORBIDDEN` for a field the role may not read on that row, the service's
//! error for a field whose arguments it refuses — in one pass over the
//! answer's text (no tree is built: a partner's page refuses a field on most
//! rows).

use async_graphql::ServerError;

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
    /// The error's JSON text up to its path, and after it: a partner's page
    /// refuses a field on most rows, and its errors are written from these
    /// with only the path between ([`Placed::write_json`]).
    head: String,
    tail: String,
}

impl Refusal {
    pub fn new(error: ServerError, in_place: bool) -> Self {
        let mut head = format!("{{\"message\":{}", json(&error.message));
        if !error.locations.is_empty() {
            head.push_str(",\"locations\":");
            head.push_str(&json(&error.locations));
        }
        head.push_str(",\"path\":");
        let mut tail = String::new();
        if let Some(extensions) = error.extensions.as_ref().map(json)
            && extensions != "{}"
        {
            tail.push_str(",\"extensions\":");
            tail.push_str(&extensions);
        }
        tail.push('}');
        Refusal {
            error,
            in_place,
            head,
            tail,
        }
    }
}

/// A part of an error as JSON text.
fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// The refusals placed in an answer, in the answer's order: which refusal
/// each is, and its path, written as JSON text (keys as the answer wrote
/// them) — no error is built unless one is asked for ([`Placed::errors`]).
#[derive(Debug, Default)]
pub struct Placed {
    /// Each refusal's number and the end of its path in `paths`.
    at: Vec<(usize, usize)>,
    paths: String,
    /// Whether a `null` placed may have to bubble up (a refusal not
    /// [`Refusal::in_place`]).
    pub bubbles: bool,
}

impl Placed {
    pub fn len(&self) -> usize {
        self.at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// The number of the first refusal placed.
    pub fn first(&self) -> Option<usize> {
        self.at.first().map(|&(n, _)| n)
    }

    /// Each placed refusal with its path text.
    fn each(&self) -> impl Iterator<Item = (usize, &str)> {
        let starts = std::iter::once(0).chain(self.at.iter().map(|&(_, end)| end));
        self.at
            .iter()
            .zip(starts)
            .map(|(&(n, end), start)| (n, &self.paths[start..end]))
    }

    /// The errors, their paths added. `None` when `refusals` are not the
    /// ones placed (a bug: the caller logs it).
    pub fn errors(&self, refusals: &[Refusal]) -> Option<Vec<ServerError>> {
        self.each()
            .map(|(n, path)| {
                let mut error = refusals.get(n)?.error.clone();
                error.path = serde_json::from_str(path).ok()?;
                Some(error)
            })
            .collect()
    }

    /// Writes the first `max` errors as JSON, separated by commas (the
    /// items of an `errors` list); how many it wrote.
    pub fn write_json(
        &self,
        refusals: &[Refusal],
        out: &mut impl std::io::Write,
        max: usize,
    ) -> std::io::Result<usize> {
        let mut written = 0;
        for (n, path) in self.each().take(max) {
            let refusal = refusals
                .get(n)
                .ok_or_else(|| std::io::Error::other("a refusal not of this plan"))?;
            if written > 0 {
                out.write_all(b",")?;
            }
            out.write_all(refusal.head.as_bytes())?;
            out.write_all(path.as_bytes())?;
            out.write_all(refusal.tail.as_bytes())?;
            written += 1;
        }
        Ok(written)
    }
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

/// Writes `path` as a JSON list: keys as the answer wrote them (quoted,
/// escapes kept), indexes as numbers.
fn write_path(out: &mut String, path: &[Step<'_>]) {
    use std::fmt::Write;
    out.push('[');
    for (i, step) in path.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match step {
            Step::Key(text) => out.push_str(text),
            Step::Index(index) => {
                let _ = write!(out, "{index}");
            }
        }
    }
    out.push(']');
}

/// The answer's text with every marker replaced by `null` (and the
/// whitespace between tokens left out), and the refusals placed, in the
/// answer's order. `None` when the text is not a statement's answer (a
/// bug: the caller logs it). Text is copied in runs between what changes.
pub fn place(data: &str, refusals: &[Refusal]) -> Option<(String, Placed)> {
    let bytes = data.as_bytes();
    let mut out = String::with_capacity(data.len());
    // `data[copied..i]` is still to be copied to `out`.
    let mut copied = 0;
    let mut frames: Vec<Frame> = Vec::new();
    let mut path: Vec<Step<'_>> = Vec::new();
    let mut placed = Placed::default();
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
                    placed.bubbles |= !refusals.get(n)?.in_place;
                    write_path(&mut placed.paths, &path);
                    placed.at.push((n, placed.paths.len()));
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
    frames.is_empty().then_some((out, placed))
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
        let forbidden = |message: &str, pos| {
            Refusal::new(
                crate::schema::error::to_gql(&service::Error::Forbidden(message.to_owned()))
                    .into_server_error(pos),
                true,
            )
        };
        let refusals = vec![
            forbidden("zero", Pos { line: 2, column: 3 }),
            forbidden("one", Pos { line: 4, column: 5 }),
        ];
        let (text, placed) = place(data, &refusals).expect("an answer");
        assert!(!placed.bubbles);
        assert_eq!((placed.len(), placed.first()), (2, Some(1)));
        let errors = placed.errors(&refusals).expect("the errors");
        // Written from the refusals' text, the errors read as serde writes
        // them; `max` keeps the first.
        let mut written = Vec::new();
        assert_eq!(placed.write_json(&refusals, &mut written, 10).ok(), Some(2));
        let expected = serde_json::to_string(&errors).expect("errors as JSON");
        assert_eq!(format!("[{}]", String::from_utf8_lossy(&written)), expected);
        written.clear();
        assert_eq!(placed.write_json(&refusals, &mut written, 1).ok(), Some(1));
        let first = serde_json::to_string(&errors[0]).expect("an error as JSON");
        assert_eq!(String::from_utf8_lossy(&written), first);
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
