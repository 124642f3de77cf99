//! Question banks and questions: every type, validation naming the field, sanitised rich text,
//! versions that never change, filters.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{create_bank, delete, get, post, put, send, spawn_app};

fn every_type() -> Vec<Value> {
    vec![
        json!({ "type": "single_choice", "stem": "<p>中国的首都是？</p>",
                "options": [{ "id": "A", "text": "上海" }, { "id": "B", "text": "北京" }], "answer": "B" }),
        json!({ "type": "multiple_choice", "stem": "<p>Which are primes?</p>",
                "options": [{ "id": "A", "text": "2" }, { "id": "B", "text": "4" }, { "id": "C", "text": "5" }],
                "answers": ["A", "C"] }),
        json!({ "type": "true_false", "stem": "<p>$e^{i\\pi} + 1 = 0$</p>", "answer": true }),
        json!({ "type": "fill_blank", "stem": "<p>水的化学式是{{1}}，圆周率约为{{2}}。</p>",
                "blanks": [{ "answers": ["H2O", "H₂O"] }, { "answers": ["3.14"], "numeric_tolerance": 0.01 }] }),
        json!({ "type": "essay", "stem": "<p>论述题</p>", "reference_answer": "<p>要点</p>",
                "rubric": [{ "criterion": "论点清晰", "points": 5 }] }),
        json!({ "type": "ordering", "stem": "<p>按时间排序</p>",
                "items": [{ "id": "1", "text": "秦" }, { "id": "2", "text": "汉" }, { "id": "3", "text": "唐" }] }),
        json!({ "type": "matching", "stem": "<p>配对</p>",
                "prompts": [{ "id": "1", "text": "H2O" }, { "id": "2", "text": "NaCl" }],
                "answers": [{ "id": "a", "text": "水" }, { "id": "b", "text": "盐" }, { "id": "c", "text": "糖" }],
                "pairs": [{ "prompt": "1", "answer": "a" }, { "prompt": "2", "answer": "b" }] }),
        json!({ "type": "composite", "passage": "<p>阅读下面的材料。</p>",
                "parts": [
                    { "points": 2, "content": { "type": "true_false", "stem": "<p>材料是真的</p>", "answer": false } },
                    { "points": 3, "content": { "type": "single_choice", "stem": "<p>选择</p>",
                      "options": [{ "id": "A", "text": "甲" }, { "id": "B", "text": "乙" }], "answer": "A" } }
                ] }),
    ]
}

fn typed(v: &Value) -> shared::questions::QuestionContent {
    serde_json::from_value(v.clone()).expect("question content")
}

#[tokio::test]
async fn every_type_is_stored_and_returned_as_written() {
    let app = spawn_app().await;
    let owner = app.register_org("题库单位", "questions@example.com").await;
    let bank = create_bank(&app, &owner, "数学题库").await;
    for (i, content) in every_type().into_iter().enumerate() {
        let input = json!({ "content": content, "points": 2.5, "difficulty": (i % 5) + 1,
                            "explanation": "<p>解析</p>", "tags": ["期中", " 代数 "] });
        let (status, q) = post(
            &app,
            &owner,
            &format!("/api/question-banks/{bank}/questions"),
            input.clone(),
        )
        .await;
        assert_eq!(status, 201, "{}: {q}", content["type"]);
        assert_eq!(typed(&q["content"]), typed(&content), "stored exactly");
        assert_eq!(q["version"], 1);
        assert_eq!(q["points"], 2.5);
        assert_eq!(q["tags"], json!(["期中", "代数"]));
        let id = q["id"].as_str().expect("id");
        let (_, again) = get(&app, &owner, &format!("/api/questions/{id}")).await;
        assert_eq!(again, q);
    }
    let (_, banks) = get(&app, &owner, "/api/question-banks").await;
    assert_eq!(banks[0]["question_count"], 8);
    let (status, _) = post(
        &app,
        &owner,
        "/api/question-banks",
        json!({ "name": "数学题库" }),
    )
    .await;
    assert_eq!(status, 409);
    let (status, err) = delete(&app, &owner, &format!("/api/question-banks/{bank}")).await;
    assert_eq!(
        (status, err["details"]["reason"].as_str()),
        (409, Some("bank_not_empty"))
    );
}

#[tokio::test]
async fn invalid_questions_name_every_field_and_rich_text_is_sanitised() {
    let app = spawn_app().await;
    let owner = app.register_org("校验单位", "validate@example.com").await;
    let bank = create_bank(&app, &owner, "校验").await;
    let path = format!("/api/question-banks/{bank}/questions");
    let (status, err) = post(&app, &owner, &path, json!({
                "content": { "type": "single_choice", "stem": "<p></p>",
                             "options": [{ "id": "A", "text": "x" }, { "id": "A", "text": "" }], "answer": "Z" },
                "points": 0, "difficulty": 9, "tags": [""]
            }))
        .await;
    assert_eq!(status, 422);
    let fields: Vec<(String, String)> = err["details"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_owned(),
                f["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for expected in [
        ("content.stem", "required"),
        ("content.options[1].id", "duplicate"),
        ("content.options[1].text", "required"),
        ("content.answer", "unknown_option"),
        ("points", "out_of_range"),
        ("difficulty", "out_of_range"),
        ("tags", "invalid_format"),
    ] {
        assert!(
            fields.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {fields:?}"
        );
    }
    let (status, _) = post(&app, &owner, &path, json!({ "content": { "type": "fill_blank", "stem": "只有{{1}}", "blanks": [{ "answers": ["a"] }, { "answers": ["b"] }] },
                     "points": 1, "difficulty": 1 }))
        .await;
    assert_eq!(status, 422, "blank markers must match the blanks");
    let (status, _) = post(
        &app,
        &owner,
        &path,
        json!({ "content": { "type": "nonsense" }, "points": 1, "difficulty": 1 }),
    )
    .await;
    assert_eq!(
        status, 400,
        "an unknown type is not JSON of the expected shape"
    );

    let (status, q) = post(&app, &owner, &path, json!({
                "content": { "type": "true_false", "answer": true,
                    "stem": "<p onclick=\"steal()\">安全<script>alert(1)</script><img src=\"javascript:alert(1)\"><img src=\"/api/attachments/0193a000-0000-4000-8000-000000000000\" onerror=\"x()\"><a href=\"https://example.com\">link</a></p>" },
                "points": 1, "difficulty": 1, "explanation": "<iframe src=\"https://evil.example\"></iframe>ok"
            }))
        .await;
    assert_eq!(status, 201, "{q}");
    let stem = q["content"]["stem"].as_str().expect("stem");
    for bad in ["onclick", "<script", "alert", "javascript:", "onerror"] {
        assert!(!stem.contains(bad), "{bad} survived: {stem}");
    }
    assert!(
        stem.contains("安全")
            && stem.contains("/api/attachments/0193a000-0000-4000-8000-000000000000")
            && stem.contains("https://example.com"),
        "{stem}"
    );
    assert_eq!(q["explanation"], "ok");
}

#[tokio::test]
async fn edits_make_versions_and_old_versions_never_change() {
    let app = spawn_app().await;
    let owner = app.register_org("版本单位", "versions@example.com").await;
    let bank = create_bank(&app, &owner, "版本").await;
    let v1 = json!({ "content": every_type()[0], "points": 2, "difficulty": 2, "tags": ["v1"] });
    let (_, q) = post(
        &app,
        &owner,
        &format!("/api/question-banks/{bank}/questions"),
        v1.clone(),
    )
    .await;
    let id = q["id"].as_str().expect("id").to_owned();
    let mut changed = every_type()[0].clone();
    changed["stem"] = json!("<p>日本的首都是？</p>");
    let (status, v2) = put(
        &app,
        &owner,
        &format!("/api/questions/{id}"),
        json!({ "content": changed, "points": 3, "difficulty": 4, "tags": ["v2"] }),
    )
    .await;
    assert_eq!(status, 200, "{v2}");
    assert_eq!(v2["version"], 2);
    let (_, history) = get(&app, &owner, &format!("/api/questions/{id}/versions")).await;
    assert_eq!(history.as_array().map(Vec::len), Some(2));
    assert_eq!(history[1]["version"], 1);
    assert_eq!(
        typed(&history[1]["content"]),
        typed(&every_type()[0]),
        "version 1 is unchanged"
    );
    assert_eq!(history[1]["tags"], json!(["v1"]));
    // Restoring version 1 writes it as version 3.
    let (status, v3) = post(
        &app,
        &owner,
        &format!("/api/questions/{id}/versions/1/restore"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{v3}");
    assert_eq!(v3["version"], 3);
    assert_eq!(typed(&v3["content"]), typed(&every_type()[0]));
    let (status, _) = post(
        &app,
        &owner,
        &format!("/api/questions/{id}/versions/9/restore"),
        json!({}),
    )
    .await;
    assert_eq!(status, 404);
    // Deleted: gone from the bank, but its versions remain for papers that use them.
    assert_eq!(
        delete(&app, &owner, &format!("/api/questions/{id}"))
            .await
            .0,
        204
    );
    assert_eq!(
        get(&app, &owner, &format!("/api/questions/{id}")).await.0,
        404
    );
    {
        use diesel::prelude::*;
        let mut conn = app.db();
        let n: i64 = backend::db::schema::question_versions::table
            .count()
            .get_result(&mut *conn)
            .expect("count");
        assert_eq!(n, 3);
    }
}

#[tokio::test]
async fn questions_are_filtered_by_type_difficulty_tag_and_text() {
    let app = spawn_app().await;
    let owner = app.register_org("筛选单位", "filters@example.com").await;
    let bank = create_bank(&app, &owner, "筛选").await;
    for (i, content) in every_type().into_iter().enumerate() {
        let tags = if i % 2 == 0 {
            json!(["even"])
        } else {
            json!(["odd"])
        };
        let (status, _) = post(
            &app,
            &owner,
            &format!("/api/question-banks/{bank}/questions"),
            json!({ "content": content, "points": 1, "difficulty": (i % 3) + 1, "tags": tags }),
        )
        .await;
        assert_eq!(status, 201);
    }
    let count = |query: &str| {
        let app = &app;
        let owner = &owner;
        let path = format!("/api/question-banks/{bank}/questions?{query}");
        async move {
            get(app, owner, &path).await.1["total"]
                .as_i64()
                .expect("total")
        }
    };
    assert_eq!(count("").await, 8);
    assert_eq!(count("type=fill_blank").await, 1);
    assert_eq!(count("difficulty=1").await, 3);
    assert_eq!(count("tag=even").await, 4);
    assert_eq!(
        count("q=%E9%A6%96%E9%83%BD").await,
        1,
        "text 首都 in a stem"
    );
    assert_eq!(count("q=PRIMES").await, 1, "case-insensitive");
    assert_eq!(count("q=%25").await, 0, "wildcards are literal");
    assert_eq!(count("type=fill_blank&tag=odd").await, 1);
    let (status, _) = get(
        &app,
        &owner,
        &format!("/api/question-banks/{bank}/questions?type=poem"),
    )
    .await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn categories_form_a_tree_and_bulk_actions_are_all_or_nothing() {
    let app = spawn_app().await;
    let owner = app.register_org("分类单位", "categories@example.com").await;
    let other_bank = create_bank(&app, &owner, "另一个").await;
    let bank = create_bank(&app, &owner, "分类").await;
    let category = |name: &str, parent: Option<&str>| {
        let body = json!({ "name": name, "parent_id": parent });
        let path = format!("/api/question-banks/{bank}/categories");
        let (app, owner) = (&app, &owner);
        async move {
            let (status, c) = post(app, owner, &path, body.clone()).await;
            assert_eq!(status, 201, "{c}");
            c["id"].as_str().expect("id").to_owned()
        }
    };
    let math = category("数学", None).await;
    let algebra = category("代数", Some(&math)).await;
    let physics = category("物理", None).await;
    // A parent below itself, or in another bank, is refused.
    let (status, err) = send(
        &app,
        &owner,
        Method::PATCH,
        &format!("/api/question-categories/{math}"),
        json!({ "name": "数学", "parent_id": algebra }),
    )
    .await;
    assert_eq!(
        (status, err["details"]["fields"][0]["reason"].as_str()),
        (422, Some("would_cycle"))
    );
    let (status, _) = post(
        &app,
        &owner,
        &format!("/api/question-banks/{other_bank}/categories"),
        json!({ "name": "x", "parent_id": math }),
    )
    .await;
    assert_eq!(status, 422);

    let mut ids = Vec::new();
    for (i, cat) in [&algebra, &algebra, &physics].iter().enumerate() {
        let (status, q) = post(
            &app,
            &owner,
            &format!("/api/question-banks/{bank}/questions"),
            json!({ "content": every_type()[i], "points": 1, "difficulty": 1, "category_id": cat }),
        )
        .await;
        assert_eq!(status, 201, "{q}");
        ids.push(q["id"].as_str().expect("id").to_owned());
    }
    let total = |query: String| {
        let (app, owner) = (&app, &owner);
        let path = format!("/api/question-banks/{bank}/questions?{query}");
        async move {
            get(app, owner, &path).await.1["total"]
                .as_i64()
                .expect("total")
        }
    };
    assert_eq!(
        total(format!("category_id={math}")).await,
        2,
        "a category includes its sub-categories"
    );
    assert_eq!(total(format!("category_id={physics}")).await, 1);
    let (status, _) = delete(&app, &owner, &format!("/api/question-categories/{math}")).await;
    assert_eq!(status, 409, "not empty");

    // Bulk: one unknown id and nothing happens; then the move, tag and delete all apply.
    let bulk = format!("/api/question-banks/{bank}/questions/bulk");
    let (status, _) = post(&app, &owner, &bulk, json!({ "action": "delete", "question_ids": [ids[0], "0193a000-0000-7000-8000-000000000000"] }))
        .await;
    assert_eq!(status, 422);
    assert_eq!(total(String::new()).await, 3);
    let (status, r) = post(
        &app,
        &owner,
        &bulk,
        json!({ "action": "move", "question_ids": [ids[0], ids[1]], "category_id": physics }),
    )
    .await;
    assert_eq!((status, r["affected"].as_i64()), (200, Some(2)));
    assert_eq!(total(format!("category_id={physics}")).await, 3);
    let (status, _) = post(
        &app,
        &owner,
        &bulk,
        json!({ "action": "tag", "question_ids": ids, "tags": ["复习"] }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(total("tag=%E5%A4%8D%E4%B9%A0".to_owned()).await, 3);
    let (_, q) = get(&app, &owner, &format!("/api/questions/{}", ids[0])).await;
    assert_eq!(q["version"], 2, "tagging is an edit: a new version");
    let (status, _) = post(
        &app,
        &owner,
        &bulk,
        json!({ "action": "delete", "question_ids": [ids[2]] }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(total(String::new()).await, 2);
    // Emptied categories can go.
    let (status, _) = delete(&app, &owner, &format!("/api/question-categories/{algebra}")).await;
    assert_eq!(status, 204);
}
