//! The words letters use for judgements and grades, taken from the rule book: each
//! judgement's title and aliases, and each scale's labels and aliases. Reading the letters of
//! a new framework needs its words in the rule files, not new code.

use ratings_core::{RuleBook, Scale};

/// Which framework a table or sentence is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Framework {
    Apa,
    Jar,
    Rating,
}

impl Framework {
    /// The namespaces of the judgements a document about the framework grades, its own
    /// first: APA letters and council reports also state the annual rating and JAR grades,
    /// rating letters the SLAC inspection's grades.
    pub(super) fn namespaces(self) -> &'static [&'static str] {
        match self {
            Framework::Apa => &["apa", "rating", "jar"],
            Framework::Jar => &["jar", "rating", "apa"],
            Framework::Rating => &["rating", "slac"],
        }
    }
}

/// Every title and alias of every judgement a document may grade, normalised.
pub(super) struct Vocabulary {
    /// (normalised phrase, judgement id), in the order of the rule book.
    phrases: Vec<(String, String)>,
}

impl Vocabulary {
    /// The titles and aliases of every published (not latent) judgement of the rule book.
    pub(super) fn of(book: &RuleBook) -> Vocabulary {
        let mut phrases: Vec<(String, String)> = Vec::new();
        for rule_set in book.rule_sets() {
            for judgement in rule_set.judgements.iter().filter(|j| !j.latent) {
                for phrase in std::iter::once(&judgement.title).chain(&judgement.aliases) {
                    let entry = (normalise(phrase), judgement.id.clone());
                    if !entry.0.is_empty() && !phrases.contains(&entry) {
                        phrases.push(entry);
                    }
                }
            }
        }
        Vocabulary { phrases }
    }

    /// The judgement a name stands for in a document about a framework: among the titles and
    /// aliases of the judgements the framework's documents grade that the name contains as
    /// whole words, the one that starts first, then the longest, then the framework's own
    /// before those of the frameworks it reports ("Capacity to improve, including the
    /// management of children's services" is capacity to improve, not children's services).
    pub(super) fn judgement(&self, name: &str, framework: Framework) -> Option<&str> {
        let name = format!(" {} ", normalise(name));
        let namespaces = framework.namespaces();
        self.phrases
            .iter()
            .filter_map(|(phrase, id)| {
                let preference = namespaces.iter().position(|ns| {
                    id.strip_prefix(ns)
                        .is_some_and(|rest| rest.starts_with('.'))
                })?;
                let start = name.find(&format!(" {phrase} "))?;
                Some((
                    start,
                    std::cmp::Reverse(phrase.len()),
                    preference,
                    id.as_str(),
                ))
            })
            .min()
            .map(|(_, _, _, id)| id)
    }
}

impl Vocabulary {
    /// Every judgement a text names, by the same phrases as [`Vocabulary::judgement`], among
    /// those the framework's documents grade.
    pub(super) fn judgements_named(&self, text: &str, framework: Framework) -> Vec<&str> {
        let text = format!(" {} ", normalise(text));
        let namespaces = framework.namespaces();
        let mut named: Vec<&str> = self
            .phrases
            .iter()
            .filter(|(phrase, id)| {
                namespaces.iter().any(|ns| {
                    id.strip_prefix(ns)
                        .is_some_and(|rest| rest.starts_with('.'))
                }) && text.contains(&format!(" {phrase} "))
            })
            .map(|(_, id)| id.as_str())
            .collect();
        named.sort_unstable();
        named.dedup();
        named
    }
}

/// The value a written grade stands for on a scale: a printed number, or (quotes, case and
/// spacing aside) a label or alias of the scale.
pub(super) fn resolve(scale: &Scale, written: &str) -> Option<i64> {
    let cleaned = written.trim().trim_matches(['\'', '"']);
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    scale.resolve(&cleaned).map(|level| level.number)
}

/// The words of a judgement's name ([`ratings_text::name_words`]), keeping apostrophes and
/// slashes, which judgement names use to mean something ("children's", "and/or"), and with
/// "well-being" as one word, since letters write it three ways.
pub(super) fn normalise(text: &str) -> String {
    let folded = ratings_text::fold(text)
        .replace("well-being", "wellbeing")
        .replace("well being", "wellbeing");
    ratings_text::name_words(&folded, &['\'', '/'])
}
