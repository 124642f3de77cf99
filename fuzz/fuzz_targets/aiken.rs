#![no_main]
//! Any bytes: the parser never panics, and what it reads can be written and read again.

use libfuzzer_sys::fuzz_target;
use question_formats::{Format, parse_write_parse};

fuzz_target!(|data: &[u8]| parse_write_parse(Format::Aiken, data));
