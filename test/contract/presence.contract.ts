/** The PresenceManager contract, written once and run against every engine. */
import { describe, expect, it } from 'vitest';
import type { PresenceEntry } from '../../src/engine/types.ts';
import { uniqueChannel, useEngines, type EngineFactory } from './contract-helpers.ts';

function entry(id: string, joinedAt: number, user?: string): PresenceEntry {
  return user === undefined
    ? { id, name: `name-${id}`, joinedAt }
    : { id, name: `name-${id}`, user, joinedAt };
}

const byId = (entries: PresenceEntry[]) => [...entries].sort((a, b) => a.id.localeCompare(b.id));

export function describePresenceContract(name: string, factory: EngineFactory): void {
  describe(`${name} presence contract`, () => {
    const make = useEngines(factory);

    it('adds, lists and counts entries, keeping every field', async () => {
      const { presence } = await make();
      const channel = uniqueChannel('chat');
      const now = Date.now();
      await presence.add(channel, entry('a', now, 'user-a'));
      await presence.add(channel, entry('b', now + 1));
      expect(await presence.count(channel)).toBe(2);
      expect(byId(await presence.list(channel))).toEqual([entry('a', now, 'user-a'), entry('b', now + 1)]);
    });

    it('replaces an entry added twice with the same client id', async () => {
      const { presence } = await make();
      const channel = uniqueChannel('chat');
      await presence.add(channel, entry('a', 1));
      await presence.add(channel, { ...entry('a', 2), name: 'renamed' });
      expect(await presence.count(channel)).toBe(1);
      expect(await presence.list(channel)).toEqual([{ ...entry('a', 2), name: 'renamed' }]);
    });

    it('removes entries, and ignores unknown ones', async () => {
      const { presence } = await make();
      const channel = uniqueChannel('chat');
      await presence.add(channel, entry('a', 1));
      await presence.add(channel, entry('b', 2));
      await presence.remove(channel, 'a');
      await presence.remove(channel, 'nobody');
      await presence.remove(uniqueChannel('chat'), 'b');
      expect(await presence.list(channel)).toEqual([entry('b', 2)]);
      await presence.remove(channel, 'b');
      expect(await presence.count(channel)).toBe(0);
      expect(await presence.list(channel)).toEqual([]);
    });

    it('keeps channels apart, and an empty channel is empty', async () => {
      const { presence } = await make();
      const a = uniqueChannel('chat');
      const b = uniqueChannel('chat');
      await presence.add(a, entry('x', 1));
      await presence.add(b, entry('y', 2));
      await presence.add(b, entry('z', 3));
      expect(await presence.count(a)).toBe(1);
      expect(byId(await presence.list(b)).map((e) => e.id)).toEqual(['y', 'z']);
      expect(await presence.count(uniqueChannel('chat'))).toBe(0);
    });

    it('counts many concurrent adds and removes exactly', async () => {
      const { presence } = await make();
      const channel = uniqueChannel('$connections');
      await Promise.all(Array.from({ length: 300 }, (_, i) => presence.add(channel, entry(`c${i}`, i))));
      expect(await presence.count(channel)).toBe(300);
      await Promise.all(Array.from({ length: 100 }, (_, i) => presence.remove(channel, `c${i * 3}`)));
      expect(await presence.count(channel)).toBe(200);
      expect((await presence.list(channel)).some((e) => e.id === 'c3')).toBe(false);
    });
  });
}
