/// mimalloc instead of glibc's malloc: a hop makes a few dozen small allocations and one
/// future of a few kilobytes, which made glibc merge its fast bins on every request (14% of a
/// hop's CPU went to malloc and free; issue 13).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    match salama::cli::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // `salama check | head`: the reader went away; nothing is wrong.
        Err(e) if e.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) => {
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("salama: {}", salama::cli::error_text(&e));
            std::process::ExitCode::FAILURE
        }
    }
}
