//! Minimal subsets by QuickXplain (Junker, 2004): given a monotone test (if a set passes, so
//! does every superset) that the whole set passes, find a subset that passes and from which
//! no single element can be dropped. It needs O(k log(n/k)) tests for an answer of k out of
//! n, where dropping one element at a time needs n.

/// A minimal subset of `items` that passes `test`, keeping the items' order.
/// The caller guarantees that `test(items)` holds.
pub fn minimal_subset<T: Clone, E>(
    items: &[T],
    test: &mut dyn FnMut(&[T]) -> Result<bool, E>,
) -> Result<Vec<T>, E> {
    if items.is_empty() || test(&[])? {
        return Ok(Vec::new());
    }
    quick_xplain(&[], false, items, test)
}

fn quick_xplain<T: Clone, E>(
    background: &[T],
    background_changed: bool,
    candidates: &[T],
    test: &mut dyn FnMut(&[T]) -> Result<bool, E>,
) -> Result<Vec<T>, E> {
    if background_changed && test(background)? {
        return Ok(Vec::new());
    }
    if candidates.len() == 1 {
        return Ok(candidates.to_vec());
    }
    let (first, second) = candidates.split_at(candidates.len() / 2);
    let with_first: Vec<T> = background.iter().chain(first).cloned().collect();
    let from_second = quick_xplain(&with_first, !first.is_empty(), second, test)?;
    let with_second: Vec<T> = background.iter().chain(&from_second).cloned().collect();
    let from_first = quick_xplain(&with_second, !from_second.is_empty(), first, test)?;
    Ok(from_first.into_iter().chain(from_second).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A set "passes" when it covers every required element; the answer must be exactly them.
    #[test]
    fn finds_exactly_the_needed_items() {
        for needed in [vec![], vec![3], vec![0, 7], vec![1, 2, 5, 9]] {
            let items: Vec<u32> = (0..10).collect();
            let mut tests = 0;
            let found = minimal_subset::<u32, ()>(&items, &mut |set| {
                tests += 1;
                Ok(needed.iter().all(|n| set.contains(n)))
            });
            assert_eq!(found, Ok(needed.clone()));
            assert!(
                tests <= 1 + 2 * needed.len().max(1) * 4,
                "{tests} tests for {needed:?}"
            );
        }
    }

    /// With alternatives, the answer passes and is minimal.
    #[test]
    fn the_answer_is_minimal_when_several_sets_pass() {
        let passes = |set: &[u32]| (set.contains(&2) && set.contains(&4)) || set.contains(&8);
        let items: Vec<u32> = (0..10).collect();
        let found =
            minimal_subset::<u32, ()>(&items, &mut |set| Ok(passes(set))).unwrap_or_default();
        assert!(passes(&found));
        for index in 0..found.len() {
            let mut fewer = found.clone();
            fewer.remove(index);
            assert!(!passes(&fewer));
        }
    }
}
