/**
 * Whiteboard data and drawing. Strokes live in a fixed logical space (BOARD_WIDTH × BOARD_HEIGHT,
 * integer coordinates) so every screen size draws the same picture; the canvas scales it.
 */
import { isRecord } from '../lib/payload-guards.ts';

export const BOARD_WIDTH = 1600;
export const BOARD_HEIGHT = 1000;
export const MIN_BRUSH = 1;
export const MAX_BRUSH = 40;

export interface Stroke {
  op: 'stroke';
  points: Array<[number, number]>;
  color: string;
  size: number;
}

const COLOR_PATTERN = /^#[0-9a-f]{6}$/i;

function isPoint(value: unknown): value is [number, number] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((n) => typeof n === 'number' && Number.isFinite(n))
  );
}

export function isStroke(value: unknown): value is Stroke {
  return (
    isRecord(value) &&
    value.op === 'stroke' &&
    Array.isArray(value.points) &&
    value.points.length > 0 &&
    value.points.every(isPoint) &&
    typeof value.color === 'string' &&
    COLOR_PATTERN.test(value.color) &&
    typeof value.size === 'number'
  );
}

export function isClear(value: unknown): boolean {
  return isRecord(value) && value.op === 'clear';
}

/** The strokes of a board snapshot (anything else in it is ignored). */
export function strokesFromSnapshot(snapshot: unknown): Stroke[] {
  return Array.isArray(snapshot) ? snapshot.filter(isStroke) : [];
}

/** Scales the context so that drawing in board units fills the canvas. */
export function prepareContext(canvas: HTMLCanvasElement): CanvasRenderingContext2D | undefined {
  const context = canvas.getContext('2d');
  if (!context) return undefined;
  context.setTransform(canvas.width / BOARD_WIDTH, 0, 0, canvas.height / BOARD_HEIGHT, 0, 0);
  context.lineCap = 'round';
  context.lineJoin = 'round';
  return context;
}

export function drawStroke(context: CanvasRenderingContext2D, stroke: Stroke): void {
  const [first, ...rest] = stroke.points;
  if (!first) return;
  context.strokeStyle = stroke.color;
  context.fillStyle = stroke.color;
  context.lineWidth = stroke.size;
  if (rest.length === 0) {
    context.beginPath();
    context.arc(first[0], first[1], stroke.size / 2, 0, Math.PI * 2);
    context.fill();
    return;
  }
  context.beginPath();
  context.moveTo(first[0], first[1]);
  for (const [x, y] of rest) context.lineTo(x, y);
  context.stroke();
}

export function clearBoard(context: CanvasRenderingContext2D, background: string): void {
  context.fillStyle = background;
  context.fillRect(0, 0, BOARD_WIDTH, BOARD_HEIGHT);
}
