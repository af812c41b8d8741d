/**
 * Drives the move animation: re-renders every frame for ANIMATION_MS after `startedAt` (the
 * latest trends update), then stops its timer, so an idle screen costs nothing. Returns the
 * current time for the rows to compute their own progress; +Infinity (all still) when disabled.
 */
import { useEffect, useState } from 'react';
import { ANIMATION_FRAME_MS, animationProgress } from '../animation.ts';

export function useAnimationClock(startedAt: number, enabled: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(
    function animateAfterUpdate() {
      if (!enabled || startedAt <= 0) return undefined;
      setNow(Date.now());
      const timer = setInterval(function nextFrame() {
        const current = Date.now();
        setNow(current);
        if (animationProgress(startedAt, current) >= 1) clearInterval(timer);
      }, ANIMATION_FRAME_MS);
      return function stopAnimation() {
        clearInterval(timer);
      };
    },
    [startedAt, enabled],
  );
  return enabled ? now : Number.POSITIVE_INFINITY;
}
