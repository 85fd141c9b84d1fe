//! Scales: the ordered values a judgement can take, the numbers documents print for them,
//! and their words.

/// An ordered list of values, low to high.
#[derive(Debug, Clone)]
pub struct Scale {
    /// Referred to by judgements.
    pub id: String,
    /// Shown in help.
    pub title: String,
    /// Low to high: a value's position is its rank.
    pub values: Vec<ScaleValue>,
    /// Whether printed numbers fall as quality rises (LAC 2012-13: "Grade 1" is outstanding).
    pub descending: bool,
}

/// One value of a scale.
#[derive(Debug, Clone)]
pub struct ScaleValue {
    /// The number documents print for it ("Grade 2", "performs adequately (2)").
    pub number: i64,
    /// The scale's own words for it.
    pub label: String,
    /// Other words for it, such as `satisfactory` for `adequate`.
    pub aliases: Vec<String>,
}

/// A value of a scale, as the rules use it: its rank (position, low to high) decides every
/// comparison; its number is what was written, kept for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Level {
    /// Position on the scale, from 0 for the lowest value.
    pub rank: usize,
    /// The number the scale prints for it.
    pub number: i64,
}

impl Scale {
    /// The value with this label or alias (matched case-insensitively, ignoring spaces at
    /// either end).
    pub fn find(&self, text: &str) -> Option<&ScaleValue> {
        self.find_rank(text).map(|rank| &self.values[rank])
    }

    /// The rank of the value with this label or alias.
    pub fn find_rank(&self, text: &str) -> Option<usize> {
        let wanted = text.trim();
        self.values.iter().position(|value| {
            value.label.eq_ignore_ascii_case(wanted)
                || value
                    .aliases
                    .iter()
                    .any(|alias| alias.eq_ignore_ascii_case(wanted))
        })
    }

    /// The value a written grade names: a number printed by the scale, or a label or alias.
    pub fn resolve(&self, written: &str) -> Option<Level> {
        let trimmed = written.trim();
        match trimmed.parse::<i64>() {
            Ok(number) => self.level_of_number(number),
            Err(_) => self.find_rank(trimmed).map(|rank| self.level(rank)),
        }
    }

    /// The value with this printed number.
    pub fn by_number(&self, number: i64) -> Option<&ScaleValue> {
        self.values.iter().find(|value| value.number == number)
    }

    /// The level with this printed number.
    pub fn level_of_number(&self, number: i64) -> Option<Level> {
        self.values
            .iter()
            .position(|value| value.number == number)
            .map(|rank| self.level(rank))
    }

    /// The level at a rank. The rank must be below the number of values.
    pub fn level(&self, rank: usize) -> Level {
        Level {
            rank,
            number: self.values[rank].number,
        }
    }

    /// The printed numbers, low to high.
    pub fn numbers(&self) -> Vec<i64> {
        self.values.iter().map(|value| value.number).collect()
    }

    /// `1 inadequate, 2 adequate, ...`, for help lines.
    pub fn listing(&self) -> String {
        let values: Vec<String> = self
            .values
            .iter()
            .map(|v| format!("{} {}", v.number, v.label))
            .collect();
        values.join(", ")
    }

    /// `label (number)`, for messages.
    pub fn describe(&self, number: i64) -> String {
        match self.by_number(number) {
            Some(value) => format!("{} ({number})", value.label),
            None => number.to_string(),
        }
    }
}
