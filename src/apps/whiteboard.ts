/** Whiteboard operations: a stroke (a polyline with colour and size) or a clear. */
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { refuse, type AppResult } from './app-result.ts';

export const MAX_STROKE_POINTS = 1000;

const Point = Type.Tuple([
  Type.Number({ minimum: -1e6, maximum: 1e6 }),
  Type.Number({ minimum: -1e6, maximum: 1e6 }),
]);
const Stroke = TypeCompiler.Compile(
  Type.Object({
    op: Type.Literal('stroke'),
    points: Type.Array(Point, { minItems: 1, maxItems: MAX_STROKE_POINTS }),
    color: Type.String({ pattern: '^#[0-9a-fA-F]{6}$' }),
    size: Type.Number({ minimum: 1, maximum: 100 }),
  }),
);

export function acceptBoardOp(data: unknown): AppResult {
  if (typeof data === 'object' && data !== null && (data as { op?: unknown }).op === 'clear') {
    return { ok: true, data: { op: 'clear' } };
  }
  if (!Stroke.Check(data)) {
    return refuse(
      `board operations are {"op":"clear"} or {"op":"stroke","points":[[x,y],...≤${MAX_STROKE_POINTS}],"color":"#rrggbb","size":1..100}`,
    );
  }
  // Rebuild from known fields only: nothing else a client sent is stored.
  const { points, color, size } = data;
  return { ok: true, data: { op: 'stroke', points, color, size } };
}
