//! Writing a quiz: one `<question>` per exported question, rich texts as CDATA with the
//! files they refer to.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::xml_safe;
use crate::text;
use crate::{ExportItem, MediaFile};
use shared::questions::QuestionContent;

/// `my%20image.png` for `my image.png`: how Moodle writes file names in URLs.
fn percent_encode(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn escape_xml(s: &str) -> String {
    xml_safe(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn cdata(s: &str) -> String {
    format!(
        "<![CDATA[{}]]>",
        xml_safe(s).replace("]]>", "]]]]><![CDATA[>")
    )
}

/// A rich-text element: `<tag format="html"><text>…</text>` and the files its text refers to.
fn rich_element(tag: &str, attrs: &str, html: &str, media: &[MediaFile]) -> String {
    let mut html = html.to_owned();
    let mut files = String::new();
    for m in media {
        let mut used = false;
        for quote in ['"', '\''] {
            let plain = format!("src={quote}{}{quote}", m.name);
            if html.contains(&plain) {
                used = true;
                html = html.replace(
                    &plain,
                    &format!(
                        "src={quote}@@PLUGINFILE@@/{}{quote}",
                        percent_encode(&m.name)
                    ),
                );
            }
        }
        if used {
            files.push_str(&format!(
                "<file name=\"{}\" path=\"/\" encoding=\"base64\">{}</file>",
                escape_xml(&m.name),
                STANDARD.encode(&m.bytes)
            ));
        }
    }
    format!(
        "<{tag}{attrs} format=\"html\"><text>{}</text>{files}</{tag}>",
        cdata(&html)
    )
}

/// An answer with a plain-text `<text>` (short-answer, numerical, true/false).
fn plain_answer(fraction: &str, text: &str, extra: &str) -> String {
    format!(
        "    <answer fraction=\"{fraction}\" format=\"moodle_auto_format\"><text>{}</text>{extra}</answer>\n",
        escape_xml(text)
    )
}

pub fn write(items: &[&ExportItem], media: &[MediaFile]) -> Vec<u8> {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
    let mut category: Option<&str> = None;
    for item in items {
        let q = &item.question;
        if q.category.as_deref() != category {
            category = q.category.as_deref();
            let path = match category {
                Some(path) => format!("$course$/top/{path}"),
                None => "$course$/top".to_owned(),
            };
            out.push_str(&format!(
                "  <question type=\"category\">\n    <category><text>{}</text></category>\n  </question>\n",
                escape_xml(&path)
            ));
        }
        let kind = match &q.content {
            QuestionContent::SingleChoice { .. } | QuestionContent::MultipleChoice { .. } => {
                "multichoice"
            }
            QuestionContent::TrueFalse { .. } => "truefalse",
            QuestionContent::FillBlank { blanks, .. } => {
                if blanks
                    .first()
                    .is_some_and(|b| b.numeric_tolerance.is_some())
                {
                    "numerical"
                } else {
                    "shortanswer"
                }
            }
            QuestionContent::Essay { .. } => "essay",
            QuestionContent::Ordering { .. } => "ordering",
            QuestionContent::Matching { .. } => "matching",
            QuestionContent::Composite { .. } => continue,
        };
        out.push_str(&format!("  <question type=\"{kind}\">\n"));
        out.push_str(&format!(
            "    <name><text>{}</text></name>\n",
            escape_xml(&item.id)
        ));
        let stem = match &q.content {
            QuestionContent::FillBlank { stem, .. } => stem.replacen("{{1}}", "_____", 1),
            other => other.stem().to_owned(),
        };
        out.push_str(&format!(
            "    {}\n",
            rich_element("questiontext", "", &stem, media)
        ));
        out.push_str(&format!(
            "    {}\n",
            rich_element("generalfeedback", "", &q.explanation, media)
        ));
        out.push_str(&format!(
            "    <defaultgrade>{}</defaultgrade>\n    <penalty>0.3333333</penalty>\n    <hidden>0</hidden>\n",
            q.points
        ));
        match &q.content {
            QuestionContent::SingleChoice {
                options, answer, ..
            } => {
                out.push_str("    <single>true</single>\n    <shuffleanswers>true</shuffleanswers>\n    <answernumbering>ABCD</answernumbering>\n");
                for o in options {
                    let f = if o.id == *answer { "100" } else { "0" };
                    let attrs = format!(" fraction=\"{f}\"");
                    out.push_str(&format!(
                        "    {}\n",
                        rich_element("answer", &attrs, &o.text, media)
                    ));
                }
            }
            QuestionContent::MultipleChoice {
                options, answers, ..
            } => {
                out.push_str("    <single>false</single>\n    <shuffleanswers>true</shuffleanswers>\n    <answernumbering>ABCD</answernumbering>\n");
                let n = options.iter().filter(|o| answers.contains(&o.id)).count();
                let right = format!("{:.5}", 100.0 / n.max(1) as f64);
                for o in options {
                    let f = if answers.contains(&o.id) {
                        right.as_str()
                    } else {
                        "-100"
                    };
                    let attrs = format!(" fraction=\"{f}\"");
                    out.push_str(&format!(
                        "    {}\n",
                        rich_element("answer", &attrs, &o.text, media)
                    ));
                }
            }
            QuestionContent::TrueFalse { answer, .. } => {
                let (t, f) = if *answer { ("100", "0") } else { ("0", "100") };
                out.push_str(&plain_answer(t, "true", ""));
                out.push_str(&plain_answer(f, "false", ""));
            }
            QuestionContent::FillBlank { blanks, .. } => {
                let Some(b) = blanks.first() else { continue };
                match b.numeric_tolerance {
                    Some(t) => {
                        for a in &b.answers {
                            let tol = format!("<tolerance>{t}</tolerance>");
                            out.push_str(&plain_answer("100", a.trim(), &tol));
                        }
                    }
                    None => {
                        let usecase = u8::from(b.case_sensitive);
                        out.push_str(&format!("    <usecase>{usecase}</usecase>\n"));
                        for a in &b.answers {
                            out.push_str(&plain_answer("100", a.trim(), ""));
                        }
                    }
                }
            }
            QuestionContent::Essay {
                reference_answer, ..
            } => {
                out.push_str("    <responseformat>editor</responseformat>\n    <responserequired>1</responserequired>\n    <responsefieldlines>15</responsefieldlines>\n    <attachments>0</attachments>\n");
                out.push_str(&format!(
                    "    {}\n",
                    rich_element("graderinfo", "", reference_answer, media)
                ));
                out.push_str(
                    "    <responsetemplate format=\"html\"><text></text></responsetemplate>\n",
                );
            }
            QuestionContent::Ordering { items, .. } => {
                out.push_str("    <layouttype>VERTICAL</layouttype>\n    <selecttype>ALL</selecttype>\n    <selectcount>0</selectcount>\n    <gradingtype>ABSOLUTE_POSITION</gradingtype>\n    <showgrading>SHOW</showgrading>\n    <numberingstyle>none</numberingstyle>\n");
                for (i, o) in items.iter().enumerate() {
                    let attrs = format!(" fraction=\"{}\"", i + 1);
                    out.push_str(&format!(
                        "    {}\n",
                        rich_element("answer", &attrs, &o.text, media)
                    ));
                }
            }
            QuestionContent::Matching {
                prompts,
                answers,
                pairs,
                ..
            } => {
                out.push_str("    <shuffleanswers>true</shuffleanswers>\n");
                let answer_text = |id: &str| {
                    answers
                        .iter()
                        .find(|a| a.id == id)
                        .map(|a| text::html_to_plain(&a.text))
                        .unwrap_or_default()
                };
                let sub = |prompt: &str, answer: &str| {
                    let element = rich_element("subquestion", "", prompt, media);
                    let answer = format!("<answer><text>{}</text></answer>", escape_xml(answer));
                    // The answer goes inside the subquestion element, after its text.
                    let at = element.len() - "</subquestion>".len();
                    format!(
                        "    {}{answer}</subquestion>\n",
                        element.get(..at).unwrap_or_default()
                    )
                };
                for p in prompts {
                    if let Some(pair) = pairs.iter().find(|x| x.prompt == p.id) {
                        out.push_str(&sub(&p.text, &answer_text(&pair.answer)));
                    }
                }
                for a in answers {
                    if !pairs.iter().any(|x| x.answer == a.id) {
                        out.push_str(&sub("", &text::html_to_plain(&a.text)));
                    }
                }
            }
            QuestionContent::Composite { .. } => {}
        }
        let tags: Vec<&str> = q
            .tags
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        if !tags.is_empty() {
            out.push_str("    <tags>\n");
            for t in tags {
                out.push_str(&format!(
                    "      <tag><text>{}</text></tag>\n",
                    escape_xml(t)
                ));
            }
            out.push_str("    </tags>\n");
        }
        out.push_str("  </question>\n");
    }
    out.push_str("</quiz>\n");
    out.into_bytes()
}
