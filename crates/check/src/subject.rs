//! Who an assessment is about: a local authority's children's services, or a provider that
//! Ofsted registers and inspects (a children's home, a fostering agency). A subject names the
//! rule sets that judge it (their `subject`), so one check can hold councils and providers
//! side by side, each judged by its own rules.

use std::collections::BTreeMap;

use ratings_core::LOCAL_AUTHORITIES;

use crate::authority::Authority;

/// The kind of thing a subject is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum SubjectKind {
    /// A local authority, matched against the authorities table.
    Authority,
    /// A provider, by its unique reference number (URN).
    Provider,
}

impl SubjectKind {
    /// `authority` or `provider`.
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Authority => "authority",
            SubjectKind::Provider => "provider",
        }
    }
}

/// One subject of assessments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// An authority or a provider.
    pub kind: SubjectKind,
    /// The authority's code (the DfE LA code) or the provider's URN.
    pub id: String,
    /// The authority's canonical name; for a provider, the name its first source prints.
    pub name: String,
    /// What the rule book calls this kind of subject: the `subject` of the rule sets that
    /// judge it (`local authorities`, `children's homes`).
    pub rules: String,
}

impl Subject {
    /// The subject an authority of the authorities table is.
    pub fn authority(authority: &Authority) -> Subject {
        Subject {
            kind: SubjectKind::Authority,
            id: authority.code.clone(),
            name: authority.name.clone(),
            rules: LOCAL_AUTHORITIES.to_owned(),
        }
    }

    /// A short name for lists: the authority's name, or `provider URN`.
    pub fn short_name(&self) -> String {
        match self.kind {
            SubjectKind::Authority => self.name.clone(),
            SubjectKind::Provider => format!("provider {}", self.id),
        }
    }

    /// Whether two are the same subject: the same kind, id and rules. A provider judged by
    /// two kinds of rules (a school registered as a children's home later) is two subjects.
    pub(crate) fn same_subject(&self, other: &Subject) -> bool {
        self.kind == other.kind && self.id == other.id && self.rules == other.rules
    }

    /// A hash of what tells subjects apart (see [`Subject::same_subject`]).
    pub(crate) fn key_hash(&self) -> u64 {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one((self.kind, &self.id, &self.rules))
    }
}

/// What the sources say of a subject at one assessment, besides its grades: the inspection's
/// own number and the provider's attributes (provision type, sector, local authority, name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels {
    /// The inspection's own number, as the first source that gives one prints it (Ofsted's
    /// event number).
    pub inspection: Option<String>,
    /// Attributes by name, as the last source read prints them (snapshots are read in order,
    /// so the latest).
    pub attributes: BTreeMap<String, String>,
}

/// The attributes a provider may carry, in the order outputs show them.
pub const ATTRIBUTES: [&str; 4] = ["name", "type", "sector", "local_authority"];
