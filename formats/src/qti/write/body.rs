//! An item's response declarations and body, per question type: choice, order, match, text
//! entry and extended text interactions, and a composite's parts.

use shared::questions::{Blank, Choice, QuestionContent};

use super::super::Version;
use super::super::entities::esc;
use super::super::xhtml::html_to_xhtml;
use super::{Xml, bool_attr, num};

/// Declarations and body of one question (or part) being written.
pub(super) struct Item {
    pub(super) decls: Xml,
    pub(super) body: Xml,
    /// Response identifiers given so far.
    pub(super) next: usize,
}

impl Item {
    fn response_id(&mut self, only_one: bool) -> String {
        self.next += 1;
        if only_one {
            "RESPONSE".to_owned()
        } else {
            format!("RESPONSE_{}", self.next)
        }
    }

    /// A response declaration with its correct values; `points` for a composite's part.
    fn declare(
        &mut self,
        id: &str,
        cardinality: &str,
        base_type: &str,
        points: Option<f64>,
        values: &[String],
    ) {
        let mut attrs = vec![
            ("identifier", id.to_owned()),
            ("cardinality", cardinality.to_owned()),
            ("baseType", base_type.to_owned()),
        ];
        if let Some(p) = points {
            attrs.push(("ec:points", num(p)));
        }
        self.decls.open("responseDeclaration", &attrs);
        if !values.is_empty() {
            self.decls.open("correctResponse", &[]);
            for v in values {
                self.decls.value(v);
            }
            self.decls.close("correctResponse");
        }
        self.decls.close("responseDeclaration");
        self.decls.nl();
    }

    fn blank(&mut self, id: &str, blank: &Blank, points: Option<f64>) {
        let numeric = blank.numeric_tolerance.is_some()
            && blank
                .answers
                .iter()
                .all(|a| a.trim().parse::<f64>().is_ok());
        let mut attrs = vec![
            ("identifier", id.to_owned()),
            ("cardinality", "single".to_owned()),
            (
                "baseType",
                if numeric { "float" } else { "string" }.to_owned(),
            ),
        ];
        if let Some(p) = points {
            attrs.push(("ec:points", num(p)));
        }
        if let Some(t) = blank.numeric_tolerance {
            attrs.push(("ec:tolerance", num(t)));
        }
        if blank.exact_spaces {
            attrs.push(("ec:exact-spaces", "true".to_owned()));
        }
        if blank.width_sensitive {
            attrs.push(("ec:width-sensitive", "true".to_owned()));
        }
        let d = &mut self.decls;
        d.open("responseDeclaration", &attrs);
        if let Some(first) = blank.answers.first() {
            d.open("correctResponse", &[]);
            d.value(first);
            d.close("correctResponse");
            d.open("mapping", &[("defaultValue", "0".to_owned())]);
            for a in &blank.answers {
                d.empty(
                    "mapEntry",
                    &[
                        ("mapKey", a.clone()),
                        ("mappedValue", "1".to_owned()),
                        ("caseSensitive", bool_attr(blank.case_sensitive)),
                    ],
                );
            }
            d.close("mapping");
        }
        d.close("responseDeclaration");
        d.nl();
    }

    fn choices(&mut self, element: &str, choices: &[Choice], extra: &[(&str, String)]) {
        for c in choices {
            let mut attrs = vec![("identifier", c.id.clone())];
            attrs.extend(extra.iter().cloned());
            self.body.open(element, &attrs);
            self.body.out.push_str(&html_to_xhtml(&c.text));
            self.body.close(element);
            self.body.nl();
        }
    }

    /// Writes a question that is not composite. `only_one`: the item has this one question
    /// (a single `RESPONSE`); `points`: the points of a composite's part.
    pub(super) fn question(
        &mut self,
        content: &QuestionContent,
        only_one: bool,
        points: Option<f64>,
    ) {
        let single = only_one && !matches!(content, QuestionContent::FillBlank { .. });
        match content {
            QuestionContent::SingleChoice {
                stem,
                options,
                answer,
            } => {
                let id = self.response_id(single);
                self.declare(
                    &id,
                    "single",
                    "identifier",
                    points,
                    std::slice::from_ref(answer),
                );
                self.body.div("ec-stem", stem);
                self.body.nl();
                self.choice_interaction(&id, 1, options);
            }
            QuestionContent::MultipleChoice {
                stem,
                options,
                answers,
            } => {
                let id = self.response_id(single);
                self.declare(&id, "multiple", "identifier", points, answers);
                self.body.div("ec-stem", stem);
                self.body.nl();
                self.choice_interaction(&id, 0, options);
            }
            QuestionContent::TrueFalse { stem, answer } => {
                let id = self.response_id(single);
                self.declare(&id, "single", "identifier", points, &[answer.to_string()]);
                self.body.div("ec-stem", stem);
                self.body.nl();
                let options = [
                    Choice {
                        id: "true".to_owned(),
                        text: "True".to_owned(),
                    },
                    Choice {
                        id: "false".to_owned(),
                        text: "False".to_owned(),
                    },
                ];
                self.choice_interaction(&id, 1, &options);
            }
            QuestionContent::FillBlank { stem, blanks } => {
                let mut ids = Vec::new();
                for (i, blank) in blanks.iter().enumerate() {
                    let id = self.response_id(only_one && blanks.len() == 1);
                    self.blank(&id, blank, if i == 0 { points } else { None });
                    ids.push(id);
                }
                let xhtml = html_to_xhtml(stem);
                let mut out = String::with_capacity(xhtml.len());
                let mut rest = xhtml.as_str();
                let mut k = 0;
                while let Some(start) = rest.find("{{") {
                    let after = &rest[start + 2..];
                    let marker = after
                        .find("}}")
                        .and_then(|end| Some((after[..end].trim().parse::<usize>().ok()?, end)));
                    match marker {
                        Some((n, end)) if n == k + 1 && k < ids.len() => {
                            out.push_str(&rest[..start]);
                            let mut x = Xml {
                                version: self.body.version,
                                out: String::new(),
                            };
                            x.empty(
                                "textEntryInteraction",
                                &[("responseIdentifier", ids[k].clone())],
                            );
                            out.push_str(&x.out);
                            k += 1;
                            rest = &after[end + 2..];
                        }
                        _ => {
                            out.push_str(&rest[..start + 2]);
                            rest = after;
                        }
                    }
                }
                out.push_str(rest);
                self.body.out.push_str("<div class=\"ec-stem\">");
                self.body.out.push_str(&out);
                self.body.out.push_str("</div>");
                self.body.nl();
            }
            QuestionContent::Essay {
                stem,
                reference_answer,
                rubric,
            } => {
                let id = self.response_id(single);
                self.declare(&id, "single", "string", points, &[]);
                self.body.div("ec-stem", stem);
                self.body.nl();
                self.body
                    .empty("extendedTextInteraction", &[("responseIdentifier", id)]);
                self.body.nl();
                if !reference_answer.is_empty() || !rubric.is_empty() {
                    let mut inner = Xml {
                        version: self.body.version,
                        out: String::new(),
                    };
                    if !reference_answer.is_empty() {
                        inner.div("ec-reference", reference_answer);
                    }
                    if !rubric.is_empty() {
                        inner.out.push_str("<ul class=\"ec-rubric\">");
                        for r in rubric {
                            inner.out.push_str("<li data-points=\"");
                            inner.out.push_str(&num(r.points));
                            inner.out.push_str("\">");
                            inner.out.push_str(&esc(&r.criterion));
                            inner.out.push_str("</li>");
                        }
                        inner.out.push_str("</ul>");
                    }
                    let mut attrs = vec![("view", "scorer".to_owned())];
                    if self.body.version == Version::V30 {
                        attrs.push(("use", "scoring".to_owned()));
                    }
                    self.body.open("rubricBlock", &attrs);
                    self.body.content_body(&inner.out);
                    self.body.close("rubricBlock");
                    self.body.nl();
                }
            }
            QuestionContent::Ordering { stem, items } => {
                let id = self.response_id(single);
                let order: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
                self.declare(&id, "ordered", "identifier", points, &order);
                self.body.div("ec-stem", stem);
                self.body.nl();
                self.body.open(
                    "orderInteraction",
                    &[("responseIdentifier", id), ("shuffle", "true".to_owned())],
                );
                self.body.nl();
                self.choices("simpleChoice", items, &[]);
                self.body.close("orderInteraction");
                self.body.nl();
            }
            QuestionContent::Matching {
                stem,
                prompts,
                answers,
                pairs,
            } => {
                let id = self.response_id(single);
                let values: Vec<String> = pairs
                    .iter()
                    .map(|p| format!("{} {}", p.prompt, p.answer))
                    .collect();
                self.declare(&id, "multiple", "directedPair", points, &values);
                self.body.div("ec-stem", stem);
                self.body.nl();
                self.body.open(
                    "matchInteraction",
                    &[
                        ("responseIdentifier", id),
                        ("shuffle", "true".to_owned()),
                        ("maxAssociations", prompts.len().to_string()),
                    ],
                );
                self.body.nl();
                self.body.open("simpleMatchSet", &[]);
                self.body.nl();
                self.choices(
                    "simpleAssociableChoice",
                    prompts,
                    &[("matchMax", "1".to_owned())],
                );
                self.body.close("simpleMatchSet");
                self.body.nl();
                self.body.open("simpleMatchSet", &[]);
                self.body.nl();
                self.choices(
                    "simpleAssociableChoice",
                    answers,
                    &[("matchMax", prompts.len().to_string())],
                );
                self.body.close("simpleMatchSet");
                self.body.nl();
                self.body.close("matchInteraction");
                self.body.nl();
            }
            QuestionContent::Composite { passage, parts } => {
                self.body.div("ec-passage", passage);
                self.body.nl();
                for part in parts {
                    self.body.out.push_str("<div class=\"ec-part\">");
                    self.body.nl();
                    self.question(&part.content, false, Some(part.points));
                    self.body.out.push_str("</div>");
                    self.body.nl();
                }
            }
        }
    }

    fn choice_interaction(&mut self, id: &str, max: usize, options: &[Choice]) {
        self.body.open(
            "choiceInteraction",
            &[
                ("responseIdentifier", id.to_owned()),
                ("shuffle", "false".to_owned()),
                ("maxChoices", max.to_string()),
            ],
        );
        self.body.nl();
        self.choices("simpleChoice", options, &[]);
        self.body.close("choiceInteraction");
        self.body.nl();
    }
}
