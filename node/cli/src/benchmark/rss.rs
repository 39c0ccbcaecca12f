//! Peak resident memory of a process, from Linux's /proc (0 where it is not available).

/// Forgets the peak so far of process `pid` (or this one), so the next reading covers only
/// what follows.
pub fn reset_peak(pid: Option<u32>) {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/clear_refs"),
        None => "/proc/self/clear_refs".to_string(),
    };
    // "5" resets VmHWM (Linux ≥ 4.0); elsewhere the reading just covers the whole run.
    let _ = std::fs::write(path, "5");
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
