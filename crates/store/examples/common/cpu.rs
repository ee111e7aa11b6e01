//! CPU time of this process, all threads, from Linux's per-thread scheduler statistics:
//! on a shared machine it says what a step cost even when the wall clock says more about
//! the neighbours. Threads that already ended are not counted (the pools used here live
//! as long as the process).

use std::time::Instant;

/// Seconds of CPU time used so far by the live threads of this process (0 where
/// `/proc` is not available).
pub fn cpu_seconds() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0.0;
    };
    let mut ns: u64 = 0;
    for task in tasks.flatten() {
        let stat = std::fs::read_to_string(task.path().join("schedstat")).unwrap_or_default();
        ns += stat
            .split_whitespace()
            .next()
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0);
    }
    ns as f64 / 1e9
}

/// Wall and CPU seconds of a step.
pub struct Timed {
    pub wall: f64,
    pub cpu: f64,
}

/// Runs `step`, timing it on both clocks.
pub fn timed<T>(step: impl FnOnce() -> T) -> (T, Timed) {
    let cpu = cpu_seconds();
    let started = Instant::now();
    let out = step();
    let t = Timed {
        wall: started.elapsed().as_secs_f64(),
        cpu: cpu_seconds() - cpu,
    };
    (out, t)
}
