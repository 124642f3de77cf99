//! Question banks and questions of the eight types (`shared::questions`). Rich text is
//! sanitised on the way in; every edit writes a new version, so papers and attempts that
//! reference a version never change. Import and export in every format (spreadsheets, GIFT,
//! Aiken, Moodle XML, QTI) and attachments (images, audio, video) live here too. Handlers take
//! the caller's `OrgScope` and need the `questions` permission (except serving an attachment,
//! which is public by its unguessable id).

pub mod attachments;
mod banks;
mod bulk;
pub mod categories;
mod export;
mod formats;
mod handlers;
pub(crate) mod import;
pub mod model;
pub mod rich_text;
mod search;
mod template;

use actix_web::web;

pub use attachments::{
    __path_get_attachment, __path_upload_attachment, get_attachment, upload_attachment,
};
pub use banks::{
    __path_create_bank, __path_delete_bank, __path_list_banks, __path_update_bank, create_bank,
    delete_bank, list_banks, update_bank,
};
pub use categories::{
    __path_create_category, __path_delete_category, __path_list_categories, __path_update_category,
    create_category, delete_category, list_categories, update_category,
};
pub use export::{__path_export_questions, export_questions};
pub use handlers::{
    __path_bulk_questions, __path_create_question, __path_delete_question, __path_get_question,
    __path_list_question_versions, __path_list_questions, __path_restore_question_version,
    __path_update_question, bulk_questions, create_question, delete_question, get_question,
    list_question_versions, list_questions, restore_question_version, update_question,
};
pub use import::{
    __path_import_questions, __path_question_import_template, MAX_IMPORT_BYTES, import_questions,
    question_import_template,
};

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/question-banks")
            .get(list_banks)
            .post(create_bank),
    )
    .service(
        web::resource("/question-banks/{id}")
            .patch(update_bank)
            .delete(delete_bank),
    )
    .service(
        web::resource("/question-banks/{id}/questions")
            .get(list_questions)
            .post(create_question),
    )
    .service(web::resource("/question-banks/{id}/questions/bulk").post(bulk_questions))
    .service(
        web::resource("/question-banks/{id}/questions/import")
            .app_data(web::PayloadConfig::new(MAX_IMPORT_BYTES))
            .post(import_questions),
    )
    .service(
        web::resource("/question-banks/{id}/attachments")
            .app_data(web::PayloadConfig::new(attachments::MAX_ATTACHMENT_BYTES))
            .post(upload_attachment),
    )
    .service(web::resource("/attachments/{id}").get(get_attachment))
    .service(web::resource("/question-banks/{id}/export").post(export_questions))
    .service(web::resource("/question-import/template").get(question_import_template))
    .service(
        web::resource("/question-banks/{id}/categories")
            .get(list_categories)
            .post(create_category),
    )
    .service(
        web::resource("/question-categories/{id}")
            .patch(update_category)
            .delete(delete_category),
    )
    .service(
        web::resource("/questions/{id}")
            .get(get_question)
            .put(update_question)
            .delete(delete_question),
    )
    .service(web::resource("/questions/{id}/versions").get(list_question_versions))
    .service(
        web::resource("/questions/{id}/versions/{version}/restore").post(restore_question_version),
    );
}
