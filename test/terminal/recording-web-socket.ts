/**
 * A real `ws` WebSocket that also keeps the frames it sent and received, so tests can check what
 * the terminal client asked the hub for (subscribe / unsubscribe) and what the hub pushed.
 */
import WebSocket from 'ws';
import type { WebSocketConstructor } from '../../src/client/types.ts';

export interface WireLog {
  sent: Array<Record<string, unknown>>;
  received: Array<Record<string, unknown>>;
}

function parseFrame(data: unknown): Record<string, unknown> {
  const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : '';
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function recordingWebSocket(log: WireLog): WebSocketConstructor {
  class RecordingWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      this.on('message', function recordReceived(data) {
        log.received.push(parseFrame(data));
      });
    }

    override send(data: unknown, ...rest: unknown[]): void {
      log.sent.push(parseFrame(data));
      (super.send as (data: unknown, ...rest: unknown[]) => void)(data, ...rest);
    }
  }
  return RecordingWebSocket as unknown as WebSocketConstructor;
}

/** Channels of the frames of `type` in the log, in order. */
export function channelsOf(frames: WireLog['sent'], type: string): string[] {
  return frames.filter((frame) => frame.type === type).map((frame) => String(frame.channel));
}
