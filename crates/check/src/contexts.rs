//! The rules in force for each period records name, compiled once: periods whose rule sets
//! are the same share one [`Context`] (and one compiled model).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use ratings_core::{Model, NotInForce, Period, PeriodRules, RuleBook};
use rustc_hash::FxHashMap as HashMap;

/// The rules of one set of rule sets in force, with what checking needs of them.
pub struct Context {
    /// The rules.
    pub rules: PeriodRules,
    /// Published (non-latent) judgements by id, with their index in the rules.
    pub published: HashMap<String, u16>,
    /// `label (number)` of every value of every judgement, by judgement index and rank.
    labels: Vec<Vec<Arc<str>>>,
    /// Each judgement's place (by index) in the order of judgement ids, the order in which
    /// results list grades.
    id_order: Vec<u16>,
    model: OnceLock<Model>,
    /// Where each judgement of the rule book is judged, for help lines.
    elsewhere: Arc<BTreeMap<String, String>>,
}

impl Context {
    fn new(rules: PeriodRules, elsewhere: Arc<BTreeMap<String, String>>) -> Context {
        let published = rules
            .judgements()
            .iter()
            .enumerate()
            .filter(|(_, j)| !j.judgement.latent)
            .filter_map(|(i, j)| Some((j.judgement.id.clone(), u16::try_from(i).ok()?)))
            .collect();
        let labels = rules
            .judgements()
            .iter()
            .map(|j| {
                j.scale
                    .values
                    .iter()
                    .map(|v| Arc::from(j.scale.describe(v.number)))
                    .collect()
            })
            .collect();
        let mut by_id: Vec<usize> = (0..rules.judgements().len()).collect();
        by_id.sort_by(|&a, &b| {
            rules.judgements()[a]
                .judgement
                .id
                .cmp(&rules.judgements()[b].judgement.id)
        });
        let mut id_order = vec![0u16; by_id.len()];
        for (place, &index) in by_id.iter().enumerate() {
            id_order[index] = u16::try_from(place).unwrap_or(u16::MAX);
        }
        Context {
            rules,
            published,
            labels,
            id_order,
            model: OnceLock::new(),
            elsewhere,
        }
    }

    /// The compiled model, made on first use.
    pub fn model(&self) -> &Model {
        self.model.get_or_init(|| Model::new(&self.rules))
    }

    /// `good (3)` for a judgement (by index) and rank.
    pub fn label(&self, judgement: u16, rank: u8) -> Arc<str> {
        self.labels
            .get(usize::from(judgement))
            .and_then(|labels| labels.get(usize::from(rank)))
            .cloned()
            .unwrap_or_else(|| Arc::from(""))
    }

    /// [`Context::label`], borrowed.
    pub(crate) fn label_str(&self, judgement: u16, rank: u8) -> &str {
        self.labels
            .get(usize::from(judgement))
            .and_then(|labels| labels.get(usize::from(rank)))
            .map_or("", |label| label)
    }

    /// A judgement's place (by index) in the order of judgement ids.
    pub(crate) fn id_order(&self, judgement: u16) -> u16 {
        self.id_order
            .get(usize::from(judgement))
            .copied()
            .unwrap_or(u16::MAX)
    }

    /// The printed number of a judgement's value at a rank.
    pub fn number(&self, judgement: u16, rank: u8) -> i64 {
        self.rules.judgements()[usize::from(judgement)].scale.values[usize::from(rank)].number
    }

    /// For a judgement these rules lack: where the rule book judges it, as a help line.
    pub fn judged_elsewhere(&self, id: &str) -> Option<String> {
        self.elsewhere.get(id).cloned()
    }
}

/// The contexts of the periods seen so far, for each subject.
pub struct Periods<'b> {
    book: &'b RuleBook,
    /// The subjects seen so far: a subject's index here keys its periods.
    subjects: Vec<String>,
    by_period: HashMap<(u16, Period), Result<usize, NotInForce>>,
    by_key: HashMap<Vec<usize>, usize>,
    contexts: Vec<Context>,
    elsewhere: Arc<BTreeMap<String, String>>,
}

impl<'b> Periods<'b> {
    /// No period seen yet.
    pub fn new(book: &'b RuleBook) -> Self {
        let elsewhere = judged_in(book);
        Periods {
            book,
            subjects: Vec::new(),
            by_period: HashMap::default(),
            by_key: HashMap::default(),
            contexts: Vec::new(),
            elsewhere: Arc::new(elsewhere),
        }
    }

    /// The rule book.
    pub fn book(&self) -> &'b RuleBook {
        self.book
    }

    /// The context of the rules for a subject in a period, or why no rules are in force
    /// then.
    pub fn get(&mut self, subject: &str, period: Period) -> Result<usize, NotInForce> {
        let subject_index = match self.subjects.iter().position(|s| s == subject) {
            Some(index) => index,
            None => {
                self.subjects.push(subject.to_owned());
                self.subjects.len() - 1
            }
        };
        let at = (u16::try_from(subject_index).unwrap_or(u16::MAX), period);
        if let Some(found) = self.by_period.get(&at) {
            return found.clone();
        }
        // Rules are built once per key: many days share the rules in force on them.
        let key = self.book.in_force_key(subject, period);
        if let Some(&index) = self.by_key.get(&key) {
            self.by_period.insert(at, Ok(index));
            return Ok(index);
        }
        let found =
            self.book
                .in_force(subject, period)
                .map(|rules| match self.by_key.get(rules.key()) {
                    Some(&index) => index,
                    None => {
                        let index = self.contexts.len();
                        self.by_key.insert(rules.key().to_vec(), index);
                        self.contexts
                            .push(Context::new(rules, self.elsewhere.clone()));
                        index
                    }
                });
        self.by_period.insert(at, found.clone());
        found
    }

    /// A context by index.
    pub fn context(&self, index: usize) -> &Context {
        &self.contexts[index]
    }
}

/// For each judgement of the rule book, where it is judged, as a help line: "`rating.overall`
/// is judged in 2009 (rule set `rating-2009`), 2010–2011 (rule set `rating-2010`)".
pub fn judged_in(book: &RuleBook) -> BTreeMap<String, String> {
    let mut spans: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for rule_set in book.rule_sets() {
        for judgement in &rule_set.judgements {
            spans
                .entry(judgement.id.clone())
                .or_default()
                .push(format!("{} (rule set `{}`)", rule_set.span, rule_set.id));
        }
    }
    spans
        .into_iter()
        .map(|(id, places)| {
            (
                id.clone(),
                format!("`{id}` is judged in {}", places.join(", ")),
            )
        })
        .collect()
}
