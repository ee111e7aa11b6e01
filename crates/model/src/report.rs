//! Reports: incoming information, graded on the Admiralty scale, with a sealed source.

use crate::ids::{ActorId, ReportId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Debug)]
pub enum Channel {
    TextMessage,
    VoiceNote,
    Call,
    Interview,
    OfficialList,
    Media,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TextMessage => "text_message",
            Self::VoiceNote => "voice_note",
            Self::Call => "call",
            Self::Interview => "interview",
            Self::OfficialList => "official_list",
            Self::Media => "media",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(
            match s
                .trim()
                .to_ascii_lowercase()
                .replace(['-', ' '], "_")
                .as_str()
            {
                "text_message" | "text" | "sms" => Self::TextMessage,
                "voice_note" | "voice" => Self::VoiceNote,
                "call" => Self::Call,
                "interview" => Self::Interview,
                "official_list" | "list" => Self::OfficialList,
                "media" => Self::Media,
                _ => return None,
            },
        )
    }
}

/// Admiralty source reliability, A (completely reliable) to F (cannot be judged).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Debug)]
pub enum Reliability {
    A,
    B,
    C,
    D,
    E,
    F,
}

/// Admiralty information credibility, 1 (confirmed) to 6 (cannot be judged).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Debug)]
pub struct Credibility(u8);

#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Debug)]
pub struct Grade {
    pub reliability: Reliability,
    pub credibility: Credibility,
}

#[derive(Debug, thiserror::Error)]
#[error("'{0}' is not an Admiralty grade: write a letter A-F for the source and a digit 1-6 for the information, e.g. B2")]
pub struct GradeError(pub String);

impl Credibility {
    pub fn new(value: u8) -> Option<Self> {
        (1..=6).contains(&value).then_some(Self(value))
    }
    pub fn value(self) -> u8 {
        self.0
    }
}

impl Grade {
    pub fn parse(s: &str) -> Result<Self, GradeError> {
        let t = s.trim();
        let mut chars = t.chars();
        let (Some(r), Some(c), None) = (chars.next(), chars.next(), chars.next()) else {
            return Err(GradeError(s.to_string()));
        };
        let reliability = match r.to_ascii_uppercase() {
            'A' => Reliability::A,
            'B' => Reliability::B,
            'C' => Reliability::C,
            'D' => Reliability::D,
            'E' => Reliability::E,
            'F' => Reliability::F,
            _ => return Err(GradeError(s.to_string())),
        };
        let credibility = c
            .to_digit(10)
            .and_then(|d| Credibility::new(d as u8))
            .ok_or_else(|| GradeError(s.to_string()))?;
        Ok(Self {
            reliability,
            credibility,
        })
    }

    /// How much a claim from a report of this grade counts, in [0, 1]. "Cannot be judged"
    /// (F, 6) counts for little: it must not displace what is documented.
    pub fn weight(self) -> f64 {
        let r = match self.reliability {
            Reliability::A => 1.0,
            Reliability::B => 0.8,
            Reliability::C => 0.6,
            Reliability::D => 0.4,
            Reliability::E => 0.1,
            Reliability::F => 0.25,
        };
        let c = match self.credibility.0 {
            1 => 1.0,
            2 => 0.8,
            3 => 0.6,
            4 => 0.4,
            5 => 0.1,
            _ => 0.3,
        };
        r * c
    }
}

impl std::fmt::Display for Grade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}{}", self.reliability, self.credibility.0)
    }
}

/// Bytes encrypted under the registry's sealing key: a source's identity, medical detail,
/// a transcript. The model only carries them; opening them is the access layer's job.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct SealedValue(pub Vec<u8>);

/// A content hash of an attachment (voice note, photo, document) kept outside the log.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Debug)]
pub struct AttachmentHash(pub [u8; 32]);

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct Report {
    pub id: ReportId,
    pub channel: Channel,
    pub received_at: crate::time::Timestamp,
    pub received_by: ActorId,
    /// Who sent it. Sealed: a detainee identified as a sender can be punished.
    pub source: Option<SealedValue>,
    pub content: String,
    pub attachments: Vec<AttachmentHash>,
    pub grade: Grade,
}

impl Report {
    pub fn received(&self) -> Timestamp {
        self.received_at
    }
}

/// What a sealed value holds. Each class is sealed to a key of its own, so that a role
/// (and later a replica) can hold the key to one class and not the others: a tracing
/// officer opens sources, never medical detail.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum SealClass {
    /// Who sent a report.
    Source,
    /// Medical detail behind a health claim.
    Medical,
    /// What was said in an interview.
    Transcript,
}

impl SealClass {
    pub const ALL: [SealClass; 3] = [SealClass::Source, SealClass::Medical, SealClass::Transcript];

    pub fn as_str(self) -> &'static str {
        match self {
            SealClass::Source => "source",
            SealClass::Medical => "medical",
            SealClass::Transcript => "transcript",
        }
    }
}

/// Turns plaintext into a [`SealedValue`] of a class. Implemented where keys live (store,
/// access); the model and the demo generator only call it.
pub trait Sealer {
    fn seal(&self, class: SealClass, plaintext: &[u8]) -> SealedValue;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_parse_and_reject() {
        assert_eq!(Grade::parse("b2").unwrap().to_string(), "B2");
        for bad in ["", "G1", "A7", "A0", "AA", "A12"] {
            assert!(Grade::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unjudged_counts_less_than_documented() {
        let f6 = Grade::parse("F6").unwrap().weight();
        let a1 = Grade::parse("A1").unwrap().weight();
        let b2 = Grade::parse("B2").unwrap().weight();
        assert!(f6 < 0.1 && a1 > b2 && b2 > 0.5);
    }
}
