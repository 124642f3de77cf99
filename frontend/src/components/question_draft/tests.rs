//! The draft's round trips and the problems it finds, by the API's field paths.

use shared::questions::{QuestionContent, QuestionType};

use super::{BlankDraft, Draft, PartDraft, RubricDraft, option_id};

fn fields(draft: &Draft) -> Vec<(String, String)> {
    match draft.to_input() {
        Ok(_) => Vec::new(),
        Err(problems) => problems.into_iter().map(|p| (p.field, p.reason)).collect(),
    }
}

#[test]
fn an_empty_single_choice_names_its_stem_options_and_answer() {
    let found = fields(&Draft::default());
    for field in ["content.stem", "content.options[0].text", "content.answer"] {
        assert!(
            found.iter().any(|(f, _)| f == field),
            "{field} in {found:?}"
        );
    }
}

#[test]
fn a_complete_single_choice_becomes_a_request() {
    let mut draft = Draft {
        stem: "<p>2 + 2 = ?</p>".to_owned(),
        ..Draft::default()
    };
    for (i, text) in ["3", "4", "5", "6"].iter().enumerate() {
        draft.options[i].text = (*text).to_owned();
    }
    draft.toggle_correct("B");
    draft.tags = "math, easy".to_owned();
    let input = draft.to_input().expect("valid");
    assert_eq!(input.tags, vec!["math", "easy"]);
    assert_eq!(input.difficulty, 3);
}

#[test]
fn fill_blank_markers_must_match_the_blanks_and_alternatives_split_on_semicolons() {
    let mut draft = Draft {
        question_type: QuestionType::FillBlank,
        stem: "The capital of France is {{1}}.".to_owned(),
        blanks: vec![BlankDraft::default(), BlankDraft::default()],
        ..Draft::default()
    };
    draft.blanks[0].answers = "Paris; paris".to_owned();
    draft.blanks[1].answers = "x".to_owned();
    assert!(
        fields(&draft)
            .iter()
            .any(|(f, r)| f == "content.stem" && r == "blank_markers_mismatch")
    );
    draft.blanks.pop();
    let input = draft.to_input().expect("valid");
    let shared::questions::QuestionContent::FillBlank { blanks, .. } = input.content else {
        panic!("not a fill-in-blank");
    };
    assert_eq!(blanks[0].answers, vec!["Paris", "paris"]);
}

#[test]
fn a_tolerance_that_is_not_a_number_is_refused() {
    let mut draft = Draft {
        question_type: QuestionType::FillBlank,
        stem: "{{1}}".to_owned(),
        ..Draft::default()
    };
    draft.blanks[0].answers = "3.14".to_owned();
    draft.blanks[0].tolerance = "abc".to_owned();
    assert!(
        fields(&draft)
            .iter()
            .any(|(f, _)| f == "content.blanks[0].numeric_tolerance")
    );
}

#[test]
fn points_and_difficulty_are_checked() {
    let draft = Draft {
        points: "0".to_owned(),
        difficulty: "9".to_owned(),
        ..Draft::default()
    };
    let found = fields(&draft);
    assert!(found.iter().any(|(f, _)| f == "points"));
    assert!(found.iter().any(|(f, _)| f == "difficulty"));
}

#[test]
fn a_matching_draft_pairs_each_prompt_with_its_chosen_answer_and_keeps_distractors() {
    let mut draft = Draft {
        stem: "Match".to_owned(),
        ..Draft::default()
    };
    draft.set_type(QuestionType::Matching);
    assert_eq!((draft.prompts.len(), draft.match_answers.len()), (2, 3));
    draft.prompts[0].text = "H2O".to_owned();
    draft.prompts[1].text = "NaCl".to_owned();
    for (i, text) in ["water", "salt", "sugar"].iter().enumerate() {
        draft.match_answers[i].text = (*text).to_owned();
    }
    draft.set_pair(0, "a".to_owned());
    assert!(
        fields(&draft)
            .iter()
            .any(|(f, r)| f == "content.pairs" && r == "prompt_without_answer")
    );
    draft.set_pair(1, "b".to_owned());
    let input = draft.to_input().expect("valid");
    let QuestionContent::Matching { pairs, answers, .. } = &input.content else {
        panic!("not matching");
    };
    assert_eq!(answers.len(), 3);
    assert_eq!(
        pairs
            .iter()
            .map(|p| (p.prompt.as_str(), p.answer.as_str()))
            .collect::<Vec<_>>(),
        vec![("1", "a"), ("2", "b")]
    );
    // Removing a chosen answer leaves its prompt without one.
    draft.remove_match_answer(1);
    assert_eq!(draft.pairs, vec!["a".to_owned(), String::new()]);
    assert_eq!(Draft::from_content(&input.content).content(), input.content);
}

#[test]
fn a_composite_draft_names_problems_inside_its_parts_and_round_trips() {
    let mut draft = Draft {
        stem: "<p>Passage</p>".to_owned(),
        ..Draft::default()
    };
    draft.set_type(QuestionType::Composite);
    assert_eq!(draft.parts.len(), 1);
    draft.parts.push(PartDraft::default());
    draft.parts[1].draft.set_type(QuestionType::FillBlank);
    draft.parts[0].draft.stem = "Pick".to_owned();
    draft.parts[0].draft.options[0].text = "x".to_owned();
    let found = fields(&draft);
    for field in [
        "content.parts[0].content.options[1].text",
        "content.parts[0].content.answer",
        "content.parts[1].content.stem",
    ] {
        assert!(
            found.iter().any(|(f, _)| f == field),
            "{field} in {found:?}"
        );
    }
    for (i, text) in ["x", "y", "z", "w"].iter().enumerate() {
        draft.parts[0].draft.options[i].text = (*text).to_owned();
    }
    draft.parts[0].draft.toggle_correct("C");
    draft.parts[0].points = "2.5".to_owned();
    draft.parts[1].draft.stem = "1 + 1 = {{1}}".to_owned();
    draft.parts[1].draft.blanks[0].answers = "2".to_owned();
    let input = draft.to_input().expect("valid");
    let QuestionContent::Composite { parts, .. } = &input.content else {
        panic!("not composite");
    };
    assert_eq!(parts[0].points, 2.5);
    draft.move_part(1, true);
    assert_eq!(draft.parts[0].draft.question_type, QuestionType::FillBlank);
    assert_eq!(Draft::from_content(&input.content).content(), input.content);
    draft.parts[1].points = "x".to_owned();
    assert!(
        fields(&draft)
            .iter()
            .any(|(f, r)| f == "content.parts[1].points" && r == "out_of_range")
    );
}

#[test]
fn an_essay_rubric_is_sent_and_its_criteria_checked() {
    let mut draft = Draft {
        stem: "Explain".to_owned(),
        ..Draft::default()
    };
    draft.set_type(QuestionType::Essay);
    draft.rubric.push(RubricDraft {
        criterion: " Clarity ".to_owned(),
        points: "3".to_owned(),
    });
    draft.rubric.push(RubricDraft::default());
    let found = fields(&draft);
    assert!(
        found
            .iter()
            .any(|(f, _)| f == "content.rubric[1].criterion")
    );
    assert!(found.iter().any(|(f, _)| f == "content.rubric[1].points"));
    draft.rubric.pop();
    let input = draft.to_input().expect("valid");
    let QuestionContent::Essay { rubric, .. } = input.content else {
        panic!("not an essay");
    };
    assert_eq!(rubric[0].criterion, "Clarity");
    assert_eq!(rubric[0].points, 3.0);
}

#[test]
fn option_ids_are_letters_then_numbered() {
    assert_eq!(option_id(0), "A");
    assert_eq!(option_id(25), "Z");
    assert_eq!(option_id(26), "O27");
}
