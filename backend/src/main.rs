//! The `examcloud` binary: the API server and the operator CLI.

use std::process::ExitCode;

fn main() -> ExitCode {
    backend::cli::main()
}
