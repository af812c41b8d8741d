/**
 * Seconds left until `deadline` (ms since epoch), refreshed a few times a second while
 * `active`: the "reconnecting in 3s" of the status line counts down instead of standing still.
 */
import { useEffect, useState } from 'react';

const REFRESH_MS = 250;

export function secondsUntil(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

export function useCountdown(deadline: number | undefined, active: boolean): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(
    function tickWhileActive() {
      if (!active || deadline === undefined) return undefined;
      setNow(Date.now());
      const timer = setInterval(function refresh() {
        setNow(Date.now());
      }, REFRESH_MS);
      return function stopCountdown() {
        clearInterval(timer);
      };
    },
    [deadline, active],
  );
  return active && deadline !== undefined ? secondsUntil(deadline, now) : undefined;
}
