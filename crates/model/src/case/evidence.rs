//! Evidence items kept in a case — a social-media post, a document, a photo — by content
//! hash, with when and by whom they were captured, and the claims about who authored
//! them. Authorship can be disputed ("posted on her account by her husband"): every
//! claim is kept with the report it came from, so both sides show with their grades.

use crate::ids::{EvidenceId, PersonId, ReportId};
use crate::report::AttachmentHash;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// Members are append-only.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Debug)]
pub enum EvidenceKind {
    SocialMediaPost,
    Document,
    Photo,
    Video,
    Audio,
    Other,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 6] = [
        EvidenceKind::SocialMediaPost,
        EvidenceKind::Document,
        EvidenceKind::Photo,
        EvidenceKind::Video,
        EvidenceKind::Audio,
        EvidenceKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SocialMediaPost => "social_media_post",
            Self::Document => "document",
            Self::Photo => "photo",
            Self::Video => "video",
            Self::Audio => "audio",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL.into_iter().find(|k| k.as_str() == t)
    }
}

/// An item as captured. The content itself is kept outside the log, by hash.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct Evidence {
    pub id: EvidenceId,
    pub kind: EvidenceKind,
    pub hash: AttachmentHash,
    pub captured_at: Timestamp,
    /// Who captured it (a name or an organisation: not necessarily a user).
    pub captured_by: String,
    /// What it is ("post of 2 March 2018 on the account 'umm.x'").
    pub description: String,
    /// The member it concerns, if one.
    pub about: Option<PersonId>,
}

/// Who is said to have made an item.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub enum Author {
    /// A person in the registry (often the account holder herself).
    Person(PersonId),
    /// Someone described ("her husband", "unknown member of a group").
    Described(String),
}

/// One claim about who authored an item, with the report it came from.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct Authorship {
    pub author: Author,
    pub report: ReportId,
    pub note: String,
}

/// An item and every authorship claim made about it, in the order recorded.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct EvidenceView {
    pub evidence: Evidence,
    pub authorship: Vec<Authorship>,
}

impl EvidenceView {
    /// Disputed when the claims name more than one author.
    pub fn authorship_disputed(&self) -> bool {
        self.authorship
            .iter()
            .any(|a| a.author != self.authorship[0].author)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(authors: &[Author]) -> EvidenceView {
        EvidenceView {
            evidence: Evidence {
                id: EvidenceId::from_u128(1),
                kind: EvidenceKind::SocialMediaPost,
                hash: AttachmentHash([1; 32]),
                captured_at: Timestamp(0),
                captured_by: "analyst".into(),
                description: "post".into(),
                about: None,
            },
            authorship: authors
                .iter()
                .enumerate()
                .map(|(i, a)| Authorship {
                    author: a.clone(),
                    report: ReportId::from_u128(i as u128),
                    note: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn authorship_is_disputed_when_two_authors_are_named() {
        let her = Author::Person(PersonId::from_u128(7));
        let husband = Author::Described("her husband".into());
        assert!(!view(&[]).authorship_disputed());
        assert!(!view(std::slice::from_ref(&her)).authorship_disputed());
        assert!(!view(&[her.clone(), her.clone()]).authorship_disputed());
        assert!(view(&[her, husband]).authorship_disputed());
    }
}
