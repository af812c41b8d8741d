/**
 * docs/protocol.md ships in the npm package as the protocol's reference, so it must stay true on its
 * own. Checked here: every example frame of §10 (built-in channels and their payloads) passes the
 * checks clients run (the server-frame check, the channel catalogue's payload guards) or, for client
 * frames, the hub's parser and the namespace's app; every built-in namespace has examples; the
 * TypeScript declarations in §10 match src/protocol/payloads.ts field for field; and the document
 * points at nothing a package user does not have.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PUBLISH_APPS } from '../../src/apps/index.ts';
import {
  TREND_CATEGORIES,
  channelGuards,
  checkServerFrame,
  isHotTrendData,
  namespaceOf,
} from '../../src/protocol/index.ts';
import { parseClientFrame } from '../../src/server/frame-codec.ts';
import { BUILT_IN_NAMESPACES } from '../../src/server/namespaces.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOC_PATH = 'docs/protocol.md';
const doc = readFileSync(path.join(ROOT, DOC_PATH), 'utf8');
const payloadsSource = readFileSync(path.join(ROOT, 'src/protocol/payloads.ts'), 'utf8');

const SECTION_TITLE = '## 10. Built-in channels and their payloads';

function payloadSection(): string {
  const start = doc.indexOf(SECTION_TITLE);
  if (start === -1) throw new Error(`${DOC_PATH} has no "${SECTION_TITLE}"`);
  const end = doc.indexOf('\n## ', start + SECTION_TITLE.length);
  return doc.slice(start, end === -1 ? undefined : end);
}

const section = payloadSection();

function codeBlocks(text: string, languages: readonly string[]): string[] {
  const blocks: string[] = [];
  for (const match of text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)) {
    if (languages.includes(match[1])) blocks.push(match[2]);
  }
  return blocks;
}

/** The JSON values of a json/jsonc block: `//` comment lines dropped, values one after another. */
function jsonValues(block: string): unknown[] {
  const text = block
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n');
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      if (depth === 0) start = index;
      depth += 1;
    } else if (char === '}' || char === ']') {
      depth -= 1;
      if (depth === 0) values.push(JSON.parse(text.slice(start, index + 1)));
    } else if (depth === 0 && !/\s/.test(char)) {
      throw new Error(`unexpected ${JSON.stringify(char)} between JSON values in:\n${block}`);
    }
  }
  if (depth !== 0) throw new Error(`unbalanced JSON in:\n${block}`);
  return values;
}

type Frame = Record<string, unknown> & { type: string };

const examples = codeBlocks(section, ['json', 'jsonc']).flatMap(jsonValues) as Frame[];

const CLIENT_FRAME_TYPES = new Set([
  'ping',
  'subscribe',
  'unsubscribe',
  'publish',
  'presence',
  'history',
  'rpc',
]);

/** `ephemeral` is both a client and a server frame; the server's carries the sender in `from`. */
function isClientFrame(frame: Frame): boolean {
  return CLIENT_FRAME_TYPES.has(frame.type) || (frame.type === 'ephemeral' && !('from' in frame));
}

/** A test name: `publication chat:lobby seq 1`, `publish counter:clicks id ada-12`. */
function describeFrame(frame: Frame): string {
  const where =
    frame.id !== undefined ? `id ${JSON.stringify(frame.id)}` : `seq ${JSON.stringify(frame.seq)}`;
  return `${frame.type} ${JSON.stringify(frame.channel)} ${where}`;
}

function namespaceOptions(channel: unknown) {
  expect(typeof channel).toBe('string');
  const namespace = namespaceOf(channel as string);
  const options = BUILT_IN_NAMESPACES[namespace];
  expect(options, `${String(channel)} is not a built-in channel`).toBeDefined();
  return { namespace, options };
}

describe(`${DOC_PATH} §10 examples`, () => {
  it('has examples', () => {
    expect(examples.length).toBeGreaterThan(20);
  });

  it.each(examples.filter(isClientFrame).map((frame) => [describeFrame(frame), frame] as const))(
    'client frame %s is accepted by the hub',
    (_name, frame) => {
      expect(parseClientFrame(JSON.stringify(frame)).ok).toBe(true);
      const { options } = namespaceOptions(frame.channel);
      if (frame.type === 'publish') {
        expect(options.clientPublish, 'clients may publish there').not.toBeNull();
        expect(PUBLISH_APPS[options.clientPublish!](frame.data).ok).toBe(true);
      }
      if (frame.type === 'ephemeral') {
        expect(options.ephemeral).toBe(true);
        const check = channelGuards(frame.channel as string)?.ephemeral;
        if (check) expect(check(frame.data)).toBe(true);
      }
    },
  );

  it.each(
    examples.filter((frame) => !isClientFrame(frame)).map((frame) => [describeFrame(frame), frame] as const),
  )('server frame %s passes the client-side checks', (_name, frame) => {
    expect(checkServerFrame(JSON.stringify(frame)).kind).toBe('frame');
    const channel = frame.channel as string;
    const { options } = namespaceOptions(channel);
    const guards = channelGuards(channel);
    if (frame.type === 'publication') {
      if (guards?.publication) expect(guards.publication(frame.data)).toBe(true);
      // Apps that store what they accept: the delivered data is a fixed point of the app.
      if (options.clientPublish === 'chat' || options.clientPublish === 'board') {
        expect(PUBLISH_APPS[options.clientPublish](frame.data)).toEqual({ ok: true, data: frame.data });
      }
      const entry = frame.data as { kind?: unknown; data?: unknown };
      if (entry.kind === 'hot_trend') expect(isHotTrendData(entry.data)).toBe(true);
      if (entry.kind === 'cpu_alert' || entry.kind === 'cpu_recovered') {
        const { cpu, threshold, ...rest } = entry.data as Record<string, unknown>;
        expect([typeof cpu, typeof threshold, rest]).toEqual(['number', 'number', {}]);
      }
    }
    if (frame.type === 'subscribed') {
      if ('snapshot' in frame) {
        expect(options.state, 'only state channels have snapshots').not.toBe('none');
        if (guards?.snapshot) expect(guards.snapshot(frame.snapshot)).toBe(true);
      } else if (frame.recovered === false) {
        // Counters and boards always have one; a `latest` channel only once it was published to.
        expect(['none', 'latest']).toContain(options.state);
      }
    }
    if (frame.type === 'ephemeral') {
      expect(options.ephemeral).toBe(true);
      if (guards?.ephemeral) expect(guards.ephemeral(frame.data)).toBe(true);
    }
  });

  it('shows a publication on every built-in namespace, a snapshot of every state kind, and chat typing', () => {
    const serverFrames = examples.filter((frame) => !isClientFrame(frame));
    const published = new Set(
      serverFrames.filter((f) => f.type === 'publication').map((f) => namespaceOf(f.channel as string)),
    );
    expect([...published].sort()).toEqual(Object.keys(BUILT_IN_NAMESPACES).sort());
    const snapshotKinds = new Set(
      serverFrames
        .filter((f) => f.type === 'subscribed' && 'snapshot' in f)
        .map((f) => BUILT_IN_NAMESPACES[namespaceOf(f.channel as string)].state),
    );
    const stateKinds = new Set(Object.values(BUILT_IN_NAMESPACES).map((options) => options.state));
    stateKinds.delete('none');
    expect([...snapshotKinds].sort()).toEqual([...stateKinds].sort());
    expect(
      serverFrames.some((f) => f.type === 'ephemeral' && namespaceOf(f.channel as string) === 'chat'),
    ).toBe(true);
    const kinds = new Set(
      serverFrames.filter((f) => f.channel === 'events').map((f) => (f.data as { kind: string }).kind),
    );
    expect(kinds).toContain('hot_trend');
  });
});

interface Field {
  optional: boolean;
  type: string;
}

const normalize = (text: string): string => text.replace(/\s+/g, ' ').trim();

function fieldsOf(body: string): Record<string, Field> {
  const fields: Record<string, Field> = {};
  const code = body.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  for (const match of code.matchAll(/^\s*(\w+)(\??):\s*([^;]+);/gm)) {
    fields[match[1]] = { optional: match[2] === '?', type: normalize(match[3]) };
  }
  return fields;
}

function declarations(code: string, exported: boolean) {
  const prefix = exported ? 'export ' : '';
  const interfaces: Record<string, Record<string, Field>> = {};
  for (const match of code.matchAll(new RegExp(`^${prefix}interface (\\w+) \\{([\\s\\S]*?)^\\}`, 'gm'))) {
    interfaces[match[1]] = fieldsOf(match[2]);
  }
  const aliases: Record<string, string> = {};
  for (const match of code.matchAll(new RegExp(`^${prefix}type (\\w+) = ([^;]+);`, 'gm'))) {
    aliases[match[1]] = normalize(match[2]);
  }
  return { interfaces, aliases };
}

describe(`${DOC_PATH} §10 types`, () => {
  const documented = declarations(codeBlocks(section, ['ts', 'typescript']).join('\n'), false);
  const source = declarations(payloadsSource, true);

  it('declares every payload interface of the protocol, and only those', () => {
    expect(Object.keys(documented.interfaces).sort()).toEqual(Object.keys(source.interfaces).sort());
  });

  it.each(Object.keys(source.interfaces))('declares %s with the same fields', (name) => {
    expect(documented.interfaces[name]).toEqual(source.interfaces[name]);
  });

  it('declares the same type aliases', () => {
    expect(Object.keys(documented.aliases).sort()).toEqual(Object.keys(source.aliases).sort());
    for (const [name, text] of Object.entries(source.aliases)) {
      if (text.includes('typeof TREND_CATEGORIES')) {
        const literals = [...documented.aliases[name].matchAll(/'([^']*)'/g)].map((m) => m[1]);
        expect(literals, name).toEqual([...TREND_CATEGORIES]);
      } else {
        expect(documented.aliases[name], name).toBe(text);
      }
    }
  });
});

describe(`${DOC_PATH} as shipped`, () => {
  it('points at no source file: package users have none', () => {
    expect(doc).not.toMatch(/\bsrc\//);
    expect(doc).not.toMatch(/source of truth/i);
  });

  it('links only to files the package ships', () => {
    const shipped = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { files: string[] })
      .files;
    for (const match of doc.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
      const target = match[1];
      if (/^[a-z]+:/.test(target)) continue; // an absolute URL
      expect(shipped, `link to ${target}`).toContain(path.posix.join('docs', target));
    }
  });
});
