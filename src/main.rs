//! hotline-ledger: parse the command line, run the command, turn the outcome into an exit
//! status (0 done, 1 done but some input could not be used, 2 error).

fn main() {
    let code = hotline_ledger::cli::main();
    std::process::exit(code);
}
