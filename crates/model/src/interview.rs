//! Interviews: who was interviewed, when, where, by whom, in which language and with which
//! interpreter; the transcript, sealed to the transcript class's key; and the files
//! recorded during it (voice recordings, photographs of signed forms), kept **by hash
//! only**: the registry stores a file's BLAKE3, its size and its media type, never the
//! file, so that a stolen laptop holds no recording and a file shown later can be proved
//! to be the one recorded.
//!
//! The checks here are pure and shared by every interface: a field, a language tag or a
//! media type that does not pass is refused with an [`InterviewError`] saying how to fix it.

use crate::ids::{InterviewId, PersonId, PlaceId};
use crate::report::{AttachmentHash, SealedValue};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// Most persons in one interview (a mother and her children, a small group).
pub const MAX_PERSONS: usize = 20;
/// Most files recorded for one interview.
pub const MAX_ATTACHMENTS: usize = 50;
/// Longest transcript accepted, in characters.
pub const MAX_TRANSCRIPT_CHARS: usize = 200_000;
/// Longest name of an interviewer or interpreter.
pub const MAX_NAME_CHARS: usize = 200;
/// Most interviewers named on one interview.
pub const MAX_INTERVIEWERS: usize = 10;

/// A language as a BCP 47 tag (`ar`, `fr`, `nl-BE`, `ar-SY`): the language the person
/// spoke, so that a transcript can be checked against the recording by someone who
/// speaks it.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Debug)]
pub struct Language(String);

impl Language {
    /// Accepts a primary subtag of 2 or 3 letters and optional subtags of 1 to 8 letters
    /// or digits, separated by `-`; normalises the case (`AR-sy` is `ar-SY`).
    pub fn parse(text: &str) -> Result<Self, InterviewError> {
        let bad = || InterviewError::Language(text.to_string());
        let t = text.trim().replace('_', "-");
        let mut parts = t.split('-');
        let primary = parts
            .next()
            .filter(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
        let primary = primary.ok_or_else(bad)?.to_ascii_lowercase();
        let mut out = primary;
        for sub in parts {
            if sub.is_empty() || sub.len() > 8 || !sub.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(bad());
            }
            out.push('-');
            // Region subtags are upper case by convention, the rest lower case.
            if sub.len() == 2 && sub.chars().all(|c| c.is_ascii_alphabetic()) {
                out.push_str(&sub.to_ascii_uppercase());
            } else {
                out.push_str(&sub.to_ascii_lowercase());
            }
        }
        Ok(Self(out))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A media type (`audio/ogg`, `image/jpeg`, `application/pdf`) without parameters, as
/// RFC 6838 spells the names: letters, digits and `!#$&-^_.+`, at most 127 each side.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Debug)]
pub struct MediaType(String);

impl MediaType {
    pub fn parse(text: &str) -> Result<Self, InterviewError> {
        let bad = || InterviewError::MediaType(text.to_string());
        let t = text.trim().to_ascii_lowercase();
        let (kind, sub) = t.split_once('/').ok_or_else(bad)?;
        let name_ok = |s: &str| {
            !s.is_empty()
                && s.len() <= 127
                && s.starts_with(|c: char| c.is_ascii_alphanumeric())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c))
        };
        if !name_ok(kind) || !name_ok(sub) {
            return Err(bad());
        }
        Ok(Self(t))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Bytes of no known kind.
    pub fn octet_stream() -> Self {
        Self("application/octet-stream".into())
    }

    /// Whether the file is a picture (what consent to the use of one's image covers).
    pub fn is_image(&self) -> bool {
        self.0.starts_with("image/")
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AttachmentHash {
    /// Lower-case hex, as `b3sum` prints it.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Reads 64 hex digits (what `b3sum` prints for a file).
    pub fn from_hex(text: &str) -> Result<Self, InterviewError> {
        let t = text.trim();
        let bad = || InterviewError::Hash(text.to_string());
        if t.len() != 64 || !t.is_ascii() {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&t[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(Self(out))
    }
}

/// A file recorded during an interview, by its BLAKE3 hash.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct Attachment {
    pub hash: AttachmentHash,
    /// In bytes.
    pub size: u64,
    pub media_type: MediaType,
}

/// One interview as it is recorded (the event) and kept (the projection).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct Interview {
    pub id: InterviewId,
    /// When it took place.
    pub at: Timestamp,
    pub place: Option<PlaceId>,
    /// Staff who conducted it.
    pub interviewers: Vec<String>,
    /// The language the person spoke.
    pub language: Language,
    /// Who interpreted, if anyone (a name or an agency).
    pub interpreter: Option<String>,
    /// The persons interviewed (a mother and her children together, say).
    pub persons: Vec<PersonId>,
    /// What was said, sealed to the transcript class ([`crate::report::SealClass::Transcript`]).
    pub transcript: Option<SealedValue>,
    pub attachments: Vec<Attachment>,
}

/// Why an interview (or a part of one) was refused.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum InterviewError {
    #[error("'{0}' is not a language tag: write a BCP 47 tag such as ar, fr, nl-BE or ar-SY")]
    Language(String),
    #[error("'{0}' is not a media type: write type/subtype, e.g. audio/ogg, image/jpeg, application/pdf")]
    MediaType(String),
    #[error("'{0}' is not a BLAKE3 hash: write the 64 hex digits b3sum prints")]
    Hash(String),
    #[error("an interview needs at least one person: name who was interviewed")]
    NoPerson,
    #[error("at most {MAX_PERSONS} persons per interview")]
    TooManyPersons,
    #[error("person {0} is named twice in the interview")]
    DuplicatePerson(PersonId),
    #[error("an interview needs the name of who conducted it (at most {MAX_INTERVIEWERS})")]
    Interviewers,
    #[error(
        "'{0}' is not usable as a name: 1 to {MAX_NAME_CHARS} characters, no control characters"
    )]
    BadName(String),
    #[error("at most {MAX_ATTACHMENTS} files per interview")]
    TooManyAttachments,
    #[error("the file with hash {0} is recorded twice")]
    DuplicateAttachment(String),
    #[error("the transcript is longer than {MAX_TRANSCRIPT_CHARS} characters: split it over several interviews or keep it as an attached file")]
    TranscriptTooLong,
}

fn check_name(name: &str) -> Result<(), InterviewError> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > MAX_NAME_CHARS || n.chars().any(char::is_control) {
        return Err(InterviewError::BadName(name.to_string()));
    }
    Ok(())
}

/// Checks what a person typed for an interview before it is sealed and recorded.
pub fn check(
    persons: &[PersonId],
    interviewers: &[String],
    interpreter: Option<&str>,
    transcript: Option<&str>,
    attachments: &[Attachment],
) -> Result<(), InterviewError> {
    if persons.is_empty() {
        return Err(InterviewError::NoPerson);
    }
    if persons.len() > MAX_PERSONS {
        return Err(InterviewError::TooManyPersons);
    }
    let mut seen = BTreeSet::new();
    for p in persons {
        if !seen.insert(*p) {
            return Err(InterviewError::DuplicatePerson(*p));
        }
    }
    if interviewers.is_empty() || interviewers.len() > MAX_INTERVIEWERS {
        return Err(InterviewError::Interviewers);
    }
    for name in interviewers.iter().map(String::as_str).chain(interpreter) {
        check_name(name)?;
    }
    if transcript.is_some_and(|t| t.chars().count() > MAX_TRANSCRIPT_CHARS) {
        return Err(InterviewError::TranscriptTooLong);
    }
    if attachments.len() > MAX_ATTACHMENTS {
        return Err(InterviewError::TooManyAttachments);
    }
    let mut hashes = BTreeSet::new();
    for a in attachments {
        if !hashes.insert(a.hash.0) {
            return Err(InterviewError::DuplicateAttachment(a.hash.to_hex()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_checked_and_normalised() {
        assert_eq!(Language::parse("AR-sy").unwrap().as_str(), "ar-SY");
        assert_eq!(Language::parse(" nl_be ").unwrap().as_str(), "nl-BE");
        assert_eq!(Language::parse("ckb").unwrap().as_str(), "ckb");
        assert_eq!(
            Language::parse("sr-Latn-RS").unwrap().as_str(),
            "sr-latn-RS"
        );
        for bad in [
            "",
            "a",
            "arabic",
            "ar--SY",
            "ar-",
            "ar SY",
            "ar-toolongsubtag",
            "1a",
        ] {
            assert!(Language::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn media_types_are_checked() {
        assert_eq!(MediaType::parse("Audio/OGG").unwrap().as_str(), "audio/ogg");
        assert!(MediaType::parse("image/jpeg").unwrap().is_image());
        assert!(!MediaType::parse("application/pdf").unwrap().is_image());
        assert!(MediaType::parse("application/vnd.ms-excel").is_ok());
        for bad in [
            "",
            "audio",
            "/ogg",
            "audio/",
            "audio/ogg; codecs=opus",
            "a/b/c",
            "ä/b",
        ] {
            assert!(MediaType::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hashes_round_trip_through_hex() {
        let h = AttachmentHash(*blake3::hash(b"voice note").as_bytes());
        assert_eq!(AttachmentHash::from_hex(&h.to_hex()).unwrap(), h);
        assert_eq!(h.to_hex(), blake3::hash(b"voice note").to_hex().to_string());
        for bad in ["", "00", &"zz".repeat(32), &"0".repeat(63), &"é".repeat(32)] {
            assert!(AttachmentHash::from_hex(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn interviews_need_persons_and_interviewers() {
        let p = PersonId::from_u128(1);
        let who = vec!["A. Interviewer".to_string()];
        assert!(check(&[p], &who, None, Some("text"), &[]).is_ok());
        assert_eq!(
            check(&[], &who, None, None, &[]),
            Err(InterviewError::NoPerson)
        );
        assert_eq!(
            check(&[p, p], &who, None, None, &[]),
            Err(InterviewError::DuplicatePerson(p))
        );
        assert_eq!(
            check(&[p], &[], None, None, &[]),
            Err(InterviewError::Interviewers)
        );
        assert!(matches!(
            check(&[p], &["bad\nname".into()], None, None, &[]),
            Err(InterviewError::BadName(_))
        ));
        assert!(matches!(
            check(&[p], &who, Some("  "), None, &[]),
            Err(InterviewError::BadName(_))
        ));
        let a = Attachment {
            hash: AttachmentHash([7; 32]),
            size: 3,
            media_type: MediaType::parse("audio/ogg").unwrap(),
        };
        assert!(matches!(
            check(&[p], &who, None, None, &[a.clone(), a]),
            Err(InterviewError::DuplicateAttachment(_))
        ));
        let long = "x".repeat(MAX_TRANSCRIPT_CHARS + 1);
        assert_eq!(
            check(&[p], &who, None, Some(&long), &[]),
            Err(InterviewError::TranscriptTooLong)
        );
    }
}
