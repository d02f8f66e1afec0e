//! The report of a reliability run: one checked line per claim, and notes.

/// One line of the report.
pub struct Check {
    pub scenario: &'static str,
    pub what: String,
    pub passed: bool,
}

#[derive(Default)]
pub struct Report {
    pub checks: Vec<Check>,
    pub notes: Vec<String>,
}

impl Report {
    pub fn check(&mut self, scenario: &'static str, passed: bool, what: String) {
        self.checks.push(Check {
            scenario,
            what,
            passed,
        });
    }
}

/// KiB as MiB, for the report.
pub fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}
