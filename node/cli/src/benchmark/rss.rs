//! Peak resident memory of a process, from Linux's /proc (0 where it is not available).

/// Forgets this process's peak so far, so the next reading covers only what follows.
pub fn reset_peak() {
    // "5" resets VmHWM (Linux ≥ 4.0); elsewhere the reading just covers the whole run.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident memory of process `pid` (or this one), in MiB.
pub fn peak_mib(pid: Option<u32>) -> f64 {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/status"),
        None => "/proc/self/status".to_string(),
    };
    std::fs::read_to_string(path)
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| {
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<f64>()
                        .ok()
                })
        })
        .map_or(0.0, |kib| kib / 1024.0)
}
