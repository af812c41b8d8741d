/** @jsxImportSource preact */
/** A metric card: label, live value, a progress bar and a detail line. */

export interface ProgressCardProps {
  label: string;
  value: string;
  /** 0–100; the bar turns amber above 70 and red above 90. */
  percent: number;
  detail?: string;
  testId?: string;
}

export function ProgressCard({ label, value, percent, detail, testId }: ProgressCardProps) {
  const clamped = Math.min(100, Math.max(0, Number.isFinite(percent) ? percent : 0));
  const level = clamped >= 90 ? 'error' : clamped >= 70 ? 'warn' : 'ok';
  return (
    <section class="card metric-card" data-testid={testId} aria-label={label}>
      <h3 class="card-label">{label}</h3>
      <p class="metric-value" data-role="value">
        {value}
      </p>
      <div
        class={`progress progress-${level}`}
        role="progressbar"
        aria-label={`${label} level`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(clamped)}
      >
        <div class="progress-fill" style={{ width: `${clamped}%` }} />
      </div>
      {detail ? <p class="metric-detail">{detail}</p> : null}
    </section>
  );
}
