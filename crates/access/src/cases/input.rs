//! Case input as interfaces receive it — words typed on the command line, JSON fields,
//! form fields — read into the model's types, each refusal saying what to write instead.
//! One reading for the CLI, the API and the web UI, so they accept and refuse alike.

use crate::error::AccessError;
use crate::writes::ReportInput;
use model::case::documents::parse_hash;
use model::case::{DocumentKind, EvidenceKind, Stage};
use model::claim::{ClaimKind, LegalStatus, Wish};
use model::report::{AttachmentHash, Channel, Grade};
use model::time::Timestamp;
use model::CountryCode;

fn invalid(e: impl std::fmt::Display) -> AccessError {
    AccessError::Invalid(e.to_string())
}

/// A time: `YYYY-MM-DD` (midnight UTC), `YYYY-MM-DDTHH:MM` (UTC) or RFC 3339.
pub fn time(text: &str) -> Result<Timestamp, AccessError> {
    let t = text.trim();
    if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(Timestamp::at_date(d));
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Ok(Timestamp(dt.timestamp_millis()));
    }
    for fmt in ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(Timestamp(dt.and_utc().timestamp_millis()));
        }
    }
    Err(invalid(format!(
        "'{}' is not a time: write YYYY-MM-DD, YYYY-MM-DDTHH:MM (UTC) or an RFC 3339 time",
        text.chars().take(40).collect::<String>()
    )))
}

pub fn stage(text: &str) -> Result<Stage, AccessError> {
    Stage::parse(text).map_err(invalid)
}

pub fn country(text: &str) -> Result<CountryCode, AccessError> {
    text.parse().map_err(invalid)
}

pub fn hash(text: &str) -> Result<AttachmentHash, AccessError> {
    parse_hash(text).map_err(invalid)
}

pub fn document_kind(text: &str) -> Result<DocumentKind, AccessError> {
    DocumentKind::parse(text).ok_or_else(|| {
        invalid(format!(
            "'{text}' is not a document kind: use nationality_proof, birth_certificate, consular_request, decision_letter, travel_document, exit_authorisation, parental_consent, medical_clearance or other"
        ))
    })
}

pub fn evidence_kind(text: &str) -> Result<EvidenceKind, AccessError> {
    EvidenceKind::parse(text).ok_or_else(|| {
        invalid(format!(
            "'{text}' is not an evidence kind: use social_media_post, document, photo, video, audio or other"
        ))
    })
}

/// A stated wish: `trial_at_home` (with the country she asks to be tried in, if said),
/// `to_return`, `not_to_return`, `children_to_return` or `stay_with_children`.
pub fn wish_claim(text: &str, country_text: Option<&str>) -> Result<ClaimKind, AccessError> {
    let t = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    if t == "trial_at_home" {
        let country = country_text
            .filter(|c| !c.trim().is_empty())
            .map(country)
            .transpose()?;
        return Ok(ClaimKind::WishesTrialAtHome { country });
    }
    let wish = Wish::parse(&t).ok_or_else(|| {
        invalid(format!(
            "'{text}' is not a wish: use trial_at_home, to_return, not_to_return, children_to_return or stay_with_children"
        ))
    })?;
    Ok(ClaimKind::StatesWish { wish })
}

/// A legal record: `proceedings` and `warrant` with their authority, a
/// `conviction_in_absentia` with its sentence, a `sentence` with the authority that
/// handed it down, or `acquitted`.
pub fn legal_claim(
    kind: &str,
    authority: Option<&str>,
    sentence: Option<&str>,
) -> Result<ClaimKind, AccessError> {
    let need = |v: Option<&str>, what: &str| {
        v.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .ok_or_else(|| invalid(format!("a {kind} record needs {what}")))
    };
    let status = match kind.trim().to_ascii_lowercase().replace(['-', ' '], "_").as_str() {
        "proceedings" | "proceedings_opened" => LegalStatus::ProceedingsOpened {
            authority: need(authority, "the authority")?,
        },
        "conviction_in_absentia" | "convicted_in_absentia" => LegalStatus::ConvictedInAbsentia {
            sentence: need(sentence, "the sentence")?,
        },
        "warrant" => LegalStatus::Warrant {
            authority: need(authority, "the authority")?,
        },
        "sentence" | "sentenced" => LegalStatus::Sentenced {
            authority: need(authority, "the authority")?,
            sentence: need(sentence, "the sentence")?,
        },
        "acquitted" => LegalStatus::Acquitted,
        _ => {
            return Err(invalid(format!(
                "'{kind}' is not a legal record: use proceedings, conviction_in_absentia, sentence, warrant or acquitted"
            )))
        }
    };
    Ok(ClaimKind::Legal(status))
}

/// The report a wish, legal record or authorship claim comes from.
pub fn report(
    channel: &str,
    grade: &str,
    content: &str,
    source: Option<&str>,
    received_at: Timestamp,
) -> Result<ReportInput, AccessError> {
    let channel = Channel::parse(channel).ok_or_else(|| {
        invalid(format!(
            "'{channel}' is not a channel: use text_message, voice_note, call, interview, official_list or media"
        ))
    })?;
    let grade = Grade::parse(grade).map_err(invalid)?;
    Ok(ReportInput {
        channel,
        received_at,
        observed_at: received_at,
        grade,
        content: content.to_string(),
        source: source.map(str::to_string),
        claims: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message<T: std::fmt::Debug>(r: Result<T, AccessError>) -> String {
        match r {
            Err(AccessError::Invalid(m)) => m,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn bad_words_are_refused_with_the_good_ones() {
        assert!(message(stage("deported")).contains("transfer_arranged"));
        assert!(message(time("yesterday")).contains("YYYY-MM-DD"));
        assert!(message(hash("not hex")).contains("64 hexadecimal digits"));
        assert!(message(country("Belgium")).contains("ISO 3166"));
        assert!(message(document_kind("passport")).contains("travel_document"));
        assert!(message(evidence_kind("tweet")).contains("social_media_post"));
        assert!(message(wish_claim("to go to France", None)).contains("not_to_return"));
        assert!(message(legal_claim("warrant", None, None)).contains("needs the authority"));
        assert!(message(legal_claim("fine", None, None)).contains("conviction_in_absentia"));
        assert!(
            message(legal_claim("sentence", Some("court"), None)).contains("needs the sentence")
        );
        assert!(message(report("fax", "B2", "x", None, Timestamp(0))).contains("voice_note"));
        assert!(message(report("call", "Z9", "x", None, Timestamp(0))).contains("Admiralty"));
    }

    #[test]
    fn good_words_are_read() {
        assert_eq!(
            wish_claim("trial at home", Some("be")).unwrap(),
            ClaimKind::WishesTrialAtHome {
                country: Some("BE".parse().unwrap())
            }
        );
        assert_eq!(
            wish_claim("Not-to-return", None).unwrap(),
            ClaimKind::StatesWish {
                wish: Wish::NotToReturn
            }
        );
        assert!(matches!(
            legal_claim("conviction_in_absentia", None, Some("6 years")).unwrap(),
            ClaimKind::Legal(LegalStatus::ConvictedInAbsentia { .. })
        ));
        assert_eq!(
            legal_claim(
                "sentence",
                Some("Criminal court, Brussels"),
                Some("5 years")
            )
            .unwrap(),
            ClaimKind::Legal(LegalStatus::Sentenced {
                authority: "Criminal court, Brussels".into(),
                sentence: "5 years".into()
            })
        );
        assert_eq!(stage("Decision pending").unwrap(), Stage::DecisionPending);
        assert_eq!(time("1970-01-02").unwrap(), Timestamp(86_400_000));
        assert_eq!(time("1970-01-01T00:01:00Z").unwrap(), Timestamp(60_000));
    }
}
