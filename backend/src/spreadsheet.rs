//! Tabular files: reading is `question_formats::table` (shared with the question formats and
//! fuzzed there); this module adds what the HTTP side needs for spreadsheet downloads.

pub use question_formats::table::{Sheet, Table, TableError, headers_and_rows, read_table};

/// The MIME type of `.xlsx` files.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A generated file as a download (not cached: templates follow the code).
pub fn download(body: Vec<u8>, content_type: &str, file_name: &str) -> actix_web::HttpResponse {
    use actix_web::http::header;
    actix_web::HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type.to_owned()))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body)
}
