//! The new steps of a re-plan are a plan of their own, numbered from 0, whose warnings
//! name their steps in words ("Step 4 removes only …"). In the revision they follow the
//! history, so their numbers, and the numbers the words name, move up together.

/// `text` with every step number it names ("Step 4", "step 4", "steps 3, 5 and 7")
/// raised by `offset`. "Ideal steps 3–6" count the unrounded plan's steps and stay.
pub(super) fn shift_steps(text: &str, offset: usize) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    // After "step(s)" or "and": a number may follow. After a number: "and" may follow.
    let (mut want_number, mut after_number) = (false, false);
    for (i, word) in words.iter().enumerate() {
        let lower = word.to_ascii_lowercase();
        let digits = word.trim_end_matches([',', '.', ':', ';', ')']);
        if lower == "step" || lower == "steps" {
            want_number = !(i > 0 && words[i - 1] == "Ideal");
            after_number = false;
            out.push(word.to_string());
        } else if let (true, Ok(n)) = (want_number, digits.parse::<usize>()) {
            out.push(format!("{}{}", n + offset, &word[digits.len()..]));
            want_number = word.ends_with(',');
            after_number = digits.len() == word.len();
        } else {
            want_number = after_number && *word == "and";
            after_number = false;
            out.push(word.to_string());
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_numbers_in_words_move_with_the_steps() {
        assert_eq!(
            shift_steps("Step 4 removes only 2.1 points.", 3),
            "Step 7 removes only 2.1 points."
        );
        assert_eq!(
            shift_steps("steps 3, 5 and 7 are merged; step 2: x", 10),
            "steps 13, 15 and 17 are merged; step 12: x"
        );
        assert_eq!(
            shift_steps("Ideal steps 3–6 give 4 mg; 10 mg", 2),
            "Ideal steps 3–6 give 4 mg; 10 mg"
        );
    }
}
