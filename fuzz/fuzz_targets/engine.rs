//! The engine on arbitrary small rule sets and partial assignments: no panic, and when the
//! rules load, the allowed values equal brute-force enumeration.
#![no_main]

use std::fmt::Write as _;

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use ratings_core::{load_rules, Assignment, Budget, Model, Period, PeriodRules, SourceText, Strength};

const SCALES: &str = "[[document]]\nid = \"d\"\ntitle = \"D\"\npublisher = \"P\"\n\n[[scale]]\nid = \"s\"\ntitle = \"S\"\nvalues = [{ number = 1, label = \"a\" }, { number = 2, label = \"b\" }, { number = 3, label = \"c\" }]\n";

#[derive(Arbitrary, Debug)]
struct Input {
    judgements: u8,
    latent: u8,
    constraints: Vec<(u8, u8, u8, u8, i8, Option<(u8, u8, u8)>, bool)>,
    given: Vec<(u8, u8)>,
}

fn render(input: &Input, n: usize) -> String {
    let mut out = String::from("id = \"t\"\ntitle = \"T\"\nyears = { from = 2000, to = 2000 }\n");
    for j in 0..n {
        let latent = input.latent & (1 << j) != 0;
        let _ = write!(out, "\n[[judgement]]\nid = \"t.j{j}\"\ntitle = \"J\"\nscale = \"s\"\nlatent = {latent}\n");
    }
    for (c, &(kind, target, other, value, offset, when, must)) in input.constraints.iter().take(6).enumerate() {
        // Targets read only lower judgements: no cycles, so the rules load.
        let target = 1 + usize::from(target) % (n - 1);
        let other = usize::from(other) % target;
        let value = 1 + value % 3;
        let strength = if must { "must" } else { "usually" };
        let _ = write!(out, "\n[[constraint]]\nid = \"c{c}\"\ntext = \"x\"\nstrength = \"{strength}\"\nbasis = \"inferred\"\ncite = {{ document = \"d\", locator = \"l\" }}\ntarget = \"t.j{target}\"\n");
        let offset = i64::from(offset.clamp(-2, 2));
        let _ = match kind % 4 {
            0 => writeln!(out, "kind = \"cap\"\nat_most = {value}"),
            1 => writeln!(out, "kind = \"floor\"\nat_least = {value}"),
            2 => writeln!(out, "kind = \"limit\"\nother = \"t.j{other}\"\noffset = {offset}"),
            _ => writeln!(out, "kind = \"equal\"\nother = \"t.j{other}\"\noffset = {offset}"),
        };
        if let Some((j, test, v)) = when {
            let j = usize::from(j) % target;
            let test = ["at_most", "at_least", "is"][usize::from(test % 3)];
            let _ = writeln!(out, "when = {{ judgement = \"t.j{j}\", {test} = {} }}", 1 + v % 3);
        }
    }
    out
}

fn brute_force(year: &PeriodRules, given: &Assignment) -> Vec<Assignment> {
    let mut all = vec![Assignment::new()];
    for judgement in year.judgements() {
        all = all
            .iter()
            .flat_map(|p| {
                (1..=3).map(move |v| {
                    let mut next = p.clone();
                    next.insert(judgement.judgement.id.clone(), v);
                    next
                })
            })
            .collect();
    }
    all.into_iter()
        .filter(|a| given.iter().all(|(j, v)| a.get(j) == Some(v)))
        .filter(|a| year.constraints().iter().filter(|c| c.strength == Strength::Must).all(|c| c.holds(&|j| usize::try_from(a[j] - 1).unwrap_or(0))))
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = Input::arbitrary(&mut Unstructured::new(data)) else { return };
    let n = 2 + usize::from(input.judgements % 5);
    let text = render(&input, n);
    let book = match load_rules(&[SourceText::new("s.toml", SCALES), SourceText::new("t.toml", text.as_str())]) {
        Ok(book) => book,
        Err(problems) => panic!("generated rules should load: {problems:?}\n{text}"),
    };
    let Ok(year) = book.in_force(ratings_core::LOCAL_AUTHORITIES, Period::Year(2000)) else { return };
    let model = Model::new(&year);
    let given: Assignment = input.given.iter().take(3).map(|&(j, v)| (format!("t.j{}", usize::from(j) % n), 1 + i64::from(v % 3))).collect();
    let allowed = model.allowed(&given, &mut Budget::default()).expect("small sets fit the budget");
    let solutions = brute_force(&year, &given);
    assert_eq!(allowed.consistent, !solutions.is_empty());
    for judgement in year.judgements() {
        let id = &judgement.judgement.id;
        let mut expected: Vec<i64> = solutions.iter().map(|s| s[id]).collect();
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(allowed.values[id], expected, "{id}\n{text}\n{given:?}");
    }
    let _ = ratings_core::analyze(&book, None, &mut Budget::new(100_000));
});
