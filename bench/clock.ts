/**
 * One clock for every bench process: microseconds of CLOCK_MONOTONIC, which `process.hrtime` reads
 * and which Linux shares across processes, so a publisher's send stamp and a subscriber's receive
 * time are comparable without wall-clock (NTP) jumps. `performance.now()` runs on the same clock, so
 * after one calibration a reading costs no BigInt allocation.
 */

/**
 * hrtime − performance.now(), in µs. The first calls of each are slow (lazy initialisation, ~0.5 ms
 * here), so sample many times and keep the reading bracketed most tightly by two performance.now().
 */
function calibrate(): number {
  let bestWidth = Number.POSITIVE_INFINITY;
  let bestOffset = 0;
  for (let i = 0; i < 200; i += 1) {
    const before = performance.now();
    const hr = process.hrtime.bigint();
    const after = performance.now();
    if (after - before < bestWidth) {
      bestWidth = after - before;
      bestOffset = Number(hr) / 1000 - ((before + after) / 2) * 1000;
    }
  }
  return bestOffset;
}

const offsetMicros = calibrate();

/** Microseconds on the machine-wide monotonic clock. */
export function monotonicMicros(): number {
  return Math.round(performance.now() * 1000 + offsetMicros);
}
