/**
 * Whiteboard data and drawing. Strokes live in a fixed logical space (BOARD_WIDTH × BOARD_HEIGHT,
 * integer coordinates) so every screen size draws the same picture; the canvas scales it.
 */
import { isBoardOp, isBoardStroke } from '../../protocol/payload-guards.ts';
import type { BoardStroke } from '../../protocol/payloads.ts';

export const BOARD_WIDTH = 1600;
export const BOARD_HEIGHT = 1000;
export const MIN_BRUSH = 1;
export const MAX_BRUSH = 40;

export function isClear(value: unknown): boolean {
  return isBoardOp(value) && value.op === 'clear';
}

/** The strokes of a board snapshot (anything else in it is ignored). */
export function strokesFromSnapshot(snapshot: unknown): BoardStroke[] {
  return Array.isArray(snapshot) ? snapshot.filter(isBoardStroke) : [];
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

export function drawStroke(context: CanvasRenderingContext2D, stroke: BoardStroke): void {
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
