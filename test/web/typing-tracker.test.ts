/**
 * The chat typing indicator without a browser: another member's announcement shows their name until
 * they stop; this page's own announcement, which the hub sends back to it, shows nothing.
 */
import { describe, expect, it } from 'vitest';
import { createTypingTracker } from '../../src/web/chat/typing-tracker.ts';

describe('typing tracker', () => {
  it('lists the others typing, never this page’s own client', () => {
    let self = 'c-carol';
    const tracker = createTypingTracker(
      () => {},
      () => self,
    );
    tracker.receive({ typing: true }, { id: 'c-carol', name: 'carol' });
    expect(tracker.typists.value).toEqual([]);
    tracker.receive({ typing: true }, { id: 'c-dan', name: 'dan' });
    expect(tracker.typists.value).toEqual(['dan']);
    // A new name is a new connection: the old id is someone else now (another tab, say).
    self = 'c-carol-2';
    tracker.receive({ typing: true }, { id: 'c-carol-2', name: 'carol' });
    expect(tracker.typists.value).toEqual(['dan']);
    tracker.receive({ typing: false }, { id: 'c-dan', name: 'dan' });
    expect(tracker.typists.value).toEqual([]);
    tracker.dispose();
  });
});
