//! Names compared by their words: one folding of case, typographic quotes, dashes and spaces.

/// Text folded for comparison: lower case, typographic quotes and apostrophes made plain
/// (`'` and `"`), every dash (hyphen, figure dash, en and em dash, minus, box-drawing line)
/// made `-`, runs of white space made one space, none at either end. Punctuation stays.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' | '\u{b4}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{2500}' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The words of a name: [`fold`]ed, `&` read as "and", every character other than a letter, a
/// digit or one of `keep` taken as a space between words; one space between words.
/// `name_words("Kensington & Chelsea", &[])` is `kensington and chelsea`.
pub fn name_words(text: &str, keep: &[char]) -> String {
    let folded = fold(text);
    let mut words = String::with_capacity(folded.len());
    // A space is written before a word's first character, never at either end.
    let mut between = false;
    let put = |words: &mut String, between: &mut bool, c: char| {
        if std::mem::take(between) && !words.is_empty() {
            words.push(' ');
        }
        words.push(c);
    };
    for c in folded.chars() {
        if c == '&' {
            between = true;
            for c in "and".chars() {
                put(&mut words, &mut between, c);
            }
            between = true;
        } else if (c.is_alphanumeric() || keep.contains(&c)) && !c.is_whitespace() {
            put(&mut words, &mut between, c);
        } else {
            between = true;
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folding_keeps_punctuation_and_plains_the_typography() {
        assert_eq!(
            fold("  Children\u{2019}s   SERVICES:\t"),
            "children's services:"
        );
        assert_eq!(
            fold("8 \u{2012} 12 July \u{2013} \u{2014} \u{2212} \u{2500}"),
            "8 - 12 july - - - -"
        );
        assert_eq!(fold("\u{201c}Good\u{201d}"), "\"good\"");
    }

    #[test]
    fn name_words_drop_punctuation_and_read_ampersands() {
        assert_eq!(
            name_words("Royal Borough of Kensington & Chelsea", &[]),
            "royal borough of kensington and chelsea"
        );
        assert_eq!(name_words("Kingston-upon-Hull", &[]), "kingston upon hull");
        assert_eq!(name_words("R&D", &[]), "r and d");
        assert_eq!(
            name_words("Children\u{2019}s services", &[]),
            "children s services"
        );
        assert_eq!(
            name_words("Children\u{2019}s services/care", &['\'', '/']),
            "children's services/care"
        );
        assert_eq!(name_words(" -- ", &[]), "");
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(text in "\\PC{0,40}") {
            let once = fold(&text);
            prop_assert_eq!(fold(&once), once.clone());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
        }

        #[test]
        fn name_words_are_those_of_replacing_mapping_and_splitting(
            text in "[ a-zA-Z0-9&'/\\-\u{2019}\u{2013}\t]{0,30}|\\PC{0,30}",
            keep in proptest::sample::subsequence(vec!['\'', '/', ' ', '&', '-'], 0..3),
        ) {
            // The words as the three steps of their definition make them.
            let spaced: String = fold(&text)
                .replace('&', " and ")
                .chars()
                .map(|c| if c.is_alphanumeric() || keep.contains(&c) { c } else { ' ' })
                .collect();
            let defined = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
            prop_assert_eq!(name_words(&text, &keep), defined);
        }

        #[test]
        fn name_words_are_words_of_letters_and_digits(text in "\\PC{0,40}") {
            let words = name_words(&text, &[]);
            prop_assert_eq!(name_words(&words, &[]), words.clone());
            prop_assert!(words.split(' ').all(|w| !w.is_empty() || words.is_empty()));
            prop_assert!(words.chars().all(|c| c == ' ' || c.is_alphanumeric()));
        }
    }
}
