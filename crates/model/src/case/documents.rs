//! The documents of a case and its checklist: which documents each stage needs, and
//! which of them have been received (by hash when a copy is attached).

use super::stage::{short, Stage};
use super::CaseView;
use crate::ids::PersonId;
use crate::report::AttachmentHash;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// A kind of document. Members are append-only.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Debug)]
pub enum DocumentKind {
    /// A passport, identity card, civil-register extract or consular attestation.
    NationalityProof,
    BirthCertificate,
    /// The file sent to the deciding authority.
    ConsularRequest,
    DecisionLetter,
    /// A passport or laissez-passer for one person.
    TravelDocument,
    /// The detaining authority's consent to the handover.
    ExitAuthorisation,
    /// A parent's consent for a child to travel.
    ParentalConsent,
    MedicalClearance,
    Other,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 9] = [
        DocumentKind::NationalityProof,
        DocumentKind::BirthCertificate,
        DocumentKind::ConsularRequest,
        DocumentKind::DecisionLetter,
        DocumentKind::TravelDocument,
        DocumentKind::ExitAuthorisation,
        DocumentKind::ParentalConsent,
        DocumentKind::MedicalClearance,
        DocumentKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NationalityProof => "nationality_proof",
            Self::BirthCertificate => "birth_certificate",
            Self::ConsularRequest => "consular_request",
            Self::DecisionLetter => "decision_letter",
            Self::TravelDocument => "travel_document",
            Self::ExitAuthorisation => "exit_authorisation",
            Self::ParentalConsent => "parental_consent",
            Self::MedicalClearance => "medical_clearance",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL.into_iter().find(|k| k.as_str() == t)
    }

    /// Needed once for every member who travels (else once for the case).
    pub fn per_member(self) -> bool {
        matches!(self, Self::TravelDocument)
    }

    /// Needed for the principal (the mother) in particular.
    pub fn of_principal(self) -> bool {
        matches!(self, Self::NationalityProof)
    }
}

/// A document received for a case.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct CaseDocument {
    pub kind: DocumentKind,
    /// Whom it is about, for personal documents.
    pub person: Option<PersonId>,
    /// The copy kept outside the log, by content hash; none when only seen.
    pub hash: Option<AttachmentHash>,
    pub received_at: Timestamp,
    pub note: String,
}

/// One line of the checklist: a document a stage needs, and the one received for it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ChecklistItem<'a> {
    pub kind: DocumentKind,
    pub person: Option<PersonId>,
    pub required_for: Stage,
    pub received: Option<&'a CaseDocument>,
}

impl ChecklistItem<'_> {
    /// "travel_document for 1a2b3c4d", for messages.
    pub fn describe(&self) -> String {
        let kind = self.kind.as_str();
        let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        match self.person {
            Some(p) => format!("{article} {kind} for {}", short(p)),
            None => format!("{article} {kind}"),
        }
    }
}

/// The documents that must be received before a case enters `stage`; `per_member`
/// kinds are needed once for every member, the others once for the case (or, for a
/// nationality proof, for the principal).
pub fn required_for(stage: Stage) -> &'static [DocumentKind] {
    match stage {
        Stage::NationalityVerified => &[DocumentKind::NationalityProof],
        Stage::DecisionPending => &[DocumentKind::ConsularRequest],
        Stage::TransferArranged => &[
            DocumentKind::ExitAuthorisation,
            DocumentKind::TravelDocument,
        ],
        _ => &[],
    }
}

/// Every document the stages of the main path need, in path order, each with the
/// latest document received for it (if any). A personal document counts only for its
/// person; a case document of the same kind counts whoever it names. Per-member documents
/// are asked only for the members who travel (not for one who stays behind).
pub fn checklist(case: &CaseView) -> Vec<ChecklistItem<'_>> {
    let mut out = Vec::new();
    for stage in Stage::ALL {
        for &kind in required_for(stage) {
            let persons: Vec<Option<PersonId>> = if kind.per_member() {
                case.travellers().into_iter().map(Some).collect()
            } else if kind.of_principal() {
                vec![Some(case.principal)]
            } else {
                vec![None]
            };
            for person in persons {
                let received = case
                    .documents
                    .iter()
                    .rev()
                    .find(|d| d.kind == kind && (person.is_none() || d.person == person));
                out.push(ChecklistItem {
                    kind,
                    person,
                    required_for: stage,
                    received,
                });
            }
        }
    }
    out
}

/// A content hash written as 64 hexadecimal digits (BLAKE3 or SHA-256 of the file).
pub fn parse_hash(text: &str) -> Result<AttachmentHash, HashError> {
    let t = text.trim();
    if t.len() != 64 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(HashError(text.chars().take(80).collect()));
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&t[2 * i..2 * i + 2], 16).map_err(|_| HashError(t.into()))?;
    }
    Ok(AttachmentHash(out))
}

/// A hash as 64 lower-case hexadecimal digits.
pub fn hash_hex(h: &AttachmentHash) -> String {
    h.0.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("'{0}' is not a document hash: write the 64 hexadecimal digits of its BLAKE3 or SHA-256 hash (or give the file itself)")]
pub struct HashError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_64_hex_digits() {
        let h = "ab".repeat(32);
        assert_eq!(hash_hex(&parse_hash(&h).unwrap()), h);
        assert_eq!(
            hash_hex(&parse_hash(&h.to_uppercase()).unwrap()),
            h,
            "upper case is read"
        );
        for bad in [
            "",
            "abc",
            &"zz".repeat(32),
            &"ab".repeat(33),
            "é".repeat(32).as_str(),
        ] {
            assert!(parse_hash(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn kinds_round_trip() {
        for k in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(
            DocumentKind::parse("Travel document"),
            Some(DocumentKind::TravelDocument)
        );
        assert_eq!(DocumentKind::parse("passport"), None);
    }
}
