fn main() -> std::process::ExitCode {
    match salama::cli::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("salama: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
