//! The console's calls on question banks, their categories and questions, and question import.

use std::rc::Rc;

use shared::Lang;
use shared::questions::{
    AttachmentDto, BankDto, BankInput, BulkAction, BulkResult, CategoryDto, CategoryInput,
    QuestionDto, QuestionImportReport, QuestionInput, QuestionPage, QuestionVersionDto,
};
use web_sys::File;

use super::Error;
use super::transport::{Area, Client, Method, decode, encode_segment, with_query};
use super::upload::UploadProgress;

const BANKS: &str = "/api/question-banks";
const QUESTIONS: &str = "/api/questions";
const CATEGORIES: &str = "/api/question-categories";
const TEMPLATE: &str = "/api/question-import/template";

/// The filters and page of a bank's question list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionFilter {
    /// A question type's wire name (`single_choice`, …).
    pub question_type: Option<String>,
    pub difficulty: Option<String>,
    pub tag: Option<String>,
    pub q: Option<String>,
    pub category_id: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

/// Calls on question banks for the signed-in console user.
#[derive(Debug, Clone, Copy)]
pub struct QuestionsApi {
    client: Client,
}

impl QuestionsApi {
    pub fn new(lang: Lang) -> Self {
        QuestionsApi {
            client: Client::new(lang, Area::Console),
        }
    }

    /// `GET /api/question-banks`.
    pub async fn banks(&self) -> Result<Vec<BankDto>, Error> {
        self.client.get(BANKS).await
    }

    /// `POST /api/question-banks`.
    pub async fn create_bank(&self, input: &BankInput) -> Result<BankDto, Error> {
        self.client.send_json(Method::Post, BANKS, input).await
    }

    /// `PATCH /api/question-banks/{id}`.
    pub async fn update_bank(&self, id: &str, input: &BankInput) -> Result<BankDto, Error> {
        self.client
            .send_json(Method::Patch, &bank_path(id), input)
            .await
    }

    /// `DELETE /api/question-banks/{id}`: refused (`409 bank_not_empty`) while it has questions.
    pub async fn delete_bank(&self, id: &str) -> Result<(), Error> {
        self.client.send_empty(Method::Delete, &bank_path(id)).await
    }

    /// `GET /api/question-banks/{id}/questions`.
    pub async fn questions(
        &self,
        bank_id: &str,
        filter: &QuestionFilter,
    ) -> Result<QuestionPage, Error> {
        self.client.get(&list_path(bank_id, filter)).await
    }

    /// `POST /api/question-banks/{id}/questions`.
    pub async fn create_question(
        &self,
        bank_id: &str,
        input: &QuestionInput,
    ) -> Result<QuestionDto, Error> {
        let path = format!("{}/questions", bank_path(bank_id));
        self.client.send_json(Method::Post, &path, input).await
    }

    /// `GET /api/questions/{id}`.
    pub async fn question(&self, id: &str) -> Result<QuestionDto, Error> {
        self.client.get(&question_path(id)).await
    }

    /// `PUT /api/questions/{id}`: a new version.
    pub async fn update_question(
        &self,
        id: &str,
        input: &QuestionInput,
    ) -> Result<QuestionDto, Error> {
        self.client
            .send_json(Method::Put, &question_path(id), input)
            .await
    }

    /// `GET /api/questions/{id}/versions`.
    pub async fn versions(&self, id: &str) -> Result<Vec<QuestionVersionDto>, Error> {
        self.client
            .get(&format!("{}/versions", question_path(id)))
            .await
    }

    /// `POST /api/questions/{id}/versions/{v}/restore`.
    pub async fn restore(&self, id: &str, version: i32) -> Result<QuestionDto, Error> {
        let path = format!("{}/versions/{version}/restore", question_path(id));
        self.client.send_bodiless(Method::Post, &path).await
    }

    /// `GET /api/question-banks/{id}/categories`.
    pub async fn categories(&self, bank_id: &str) -> Result<Vec<CategoryDto>, Error> {
        self.client
            .get(&format!("{}/categories", bank_path(bank_id)))
            .await
    }

    /// `POST /api/question-banks/{id}/categories`.
    pub async fn create_category(
        &self,
        bank_id: &str,
        input: &CategoryInput,
    ) -> Result<CategoryDto, Error> {
        let path = format!("{}/categories", bank_path(bank_id));
        self.client.send_json(Method::Post, &path, input).await
    }

    /// `PATCH /api/question-categories/{id}`: renames or moves (the parent is always sent;
    /// absent means top level).
    pub async fn update_category(
        &self,
        id: &str,
        input: &CategoryInput,
    ) -> Result<CategoryDto, Error> {
        self.client
            .send_json(Method::Patch, &category_path(id), input)
            .await
    }

    /// `DELETE /api/question-categories/{id}`: refused (`409 category_not_empty`) while it has
    /// sub-categories or questions.
    pub async fn delete_category(&self, id: &str) -> Result<(), Error> {
        self.client
            .send_empty(Method::Delete, &category_path(id))
            .await
    }

    /// `POST /api/question-banks/{id}/questions/bulk`.
    pub async fn bulk(&self, bank_id: &str, action: &BulkAction) -> Result<BulkResult, Error> {
        let path = format!("{}/questions/bulk", bank_path(bank_id));
        self.client.send_json(Method::Post, &path, action).await
    }

    /// `POST /api/question-banks/{id}/questions/import`: checks the file (`dry_run`) or imports
    /// it. A refused import (`422 import_rejected`) is a report too, with nothing imported.
    pub async fn import(
        &self,
        bank_id: &str,
        file: &File,
        format: Option<&str>,
        dry_run: bool,
        on_progress: Rc<dyn Fn(UploadProgress)>,
    ) -> Result<QuestionImportReport, Error> {
        let path = with_query(
            &format!("{}/questions/import", bank_path(bank_id)),
            &[
                ("format", format.map(str::to_owned)),
                ("dry_run", dry_run.then(|| "true".to_owned())),
            ],
        );
        self.client.import(&path, file, on_progress).await
    }
}

impl QuestionsApi {
    /// `POST /api/question-banks/{id}/attachments`: an image, audio or video file for question
    /// text; the server checks its type by its bytes and answers its URL.
    pub async fn upload_attachment(
        &self,
        bank_id: &str,
        file: &File,
        on_progress: Rc<dyn Fn(UploadProgress)>,
    ) -> Result<AttachmentDto, Error> {
        let path = format!("{}/attachments", bank_path(bank_id));
        let declared = file.type_();
        let answer = self
            .client
            .upload(&path, file, &declared, on_progress)
            .await?;
        decode::<AttachmentDto>(&answer, &[])
    }
}

/// The HTML that shows an attachment in question text: an image, or audio/video with controls.
pub fn media_html(attachment: &AttachmentDto) -> String {
    let url = &attachment.url;
    if attachment.mime.starts_with("audio/") {
        format!("<audio controls src=\"{url}\"></audio>")
    } else if attachment.mime.starts_with("video/") {
        format!("<video controls src=\"{url}\"></video>")
    } else {
        format!("<img src=\"{url}\" alt=\"\">")
    }
}

/// The URL of the question import template, for a download link.
pub fn question_template_url(lang: Lang) -> String {
    with_query(TEMPLATE, &[("lang", Some(lang.tag().to_owned()))])
}

fn bank_path(id: &str) -> String {
    format!("{BANKS}/{}", encode_segment(id))
}

fn category_path(id: &str) -> String {
    format!("{CATEGORIES}/{}", encode_segment(id))
}

fn question_path(id: &str) -> String {
    format!("{QUESTIONS}/{}", encode_segment(id))
}

fn list_path(bank_id: &str, filter: &QuestionFilter) -> String {
    with_query(
        &format!("{}/questions", bank_path(bank_id)),
        &[
            ("type", filter.question_type.clone()),
            ("difficulty", filter.difficulty.clone()),
            ("tag", filter.tag.clone()),
            ("q", filter.q.clone()),
            ("category_id", filter.category_id.clone()),
            ("offset", Some(filter.offset.to_string())),
            ("limit", Some(filter.limit.to_string())),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::{QuestionFilter, list_path};

    #[test]
    fn the_list_path_carries_only_the_filters_set() {
        let filter = QuestionFilter {
            question_type: Some("fill_blank".to_owned()),
            q: Some("a b".to_owned()),
            limit: 20,
            ..QuestionFilter::default()
        };
        let path = list_path("b1", &filter);
        assert!(
            path.starts_with("/api/question-banks/b1/questions?"),
            "{path}"
        );
        assert!(path.contains("type=fill_blank"), "{path}");
        assert!(path.contains("q=a%20b"), "{path}");
        assert!(!path.contains("tag="), "{path}");
    }
}
