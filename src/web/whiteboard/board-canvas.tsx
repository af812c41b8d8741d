/** @jsxImportSource preact */
/**
 * The drawing surface. Pointer events (mouse, pen and touch alike) build a stroke that is drawn at
 * once and sent in short segments while the pointer moves, so others see it grow; strokes from
 * others are drawn once per animation frame. A resize redraws the whole board from its stroke list.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { BoardStroke } from '../../protocol/payloads.ts';
import { scheduleRender } from '../lib/frame-scheduler.ts';
import { BOARD_HEIGHT, BOARD_WIDTH, clearBoard, drawStroke, prepareContext } from './strokes.ts';

/** A segment is sent when it has this many points or is this old. */
const SEGMENT_POINTS = 48;
const SEGMENT_MS = 60;
const BACKGROUND = '#ffffff';

export interface BoardModel {
  /** Every stroke on the board, in order. */
  strokes(): readonly BoardStroke[];
  /** Subscribe to changes: `added` strokes to draw, or `reset` to redraw everything. */
  listen(listener: (change: { reset: true } | { reset: false; added: BoardStroke[] }) => void): () => void;
  /** A segment of the local user's stroke, already drawn here. */
  commit(stroke: BoardStroke): void;
}

export interface BoardCanvasProps {
  model: BoardModel;
  color: string;
  size: number;
}

interface DrawingState {
  pointerId: number;
  last: [number, number];
  segment: Array<[number, number]>;
  segmentStarted: number;
  /** Segments already sent for this stroke (0 and one point at the end: a tap, sent as a dot). */
  sent: number;
}

export function BoardCanvas({ model, color, size }: BoardCanvasProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const brushRef = useRef({ color, size });
  brushRef.current = { color, size };

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return undefined;
    let pendingStrokes: BoardStroke[] = [];
    let needsReset = true;
    let drawing: DrawingState | undefined;

    function render(): void {
      const context = canvas && prepareContext(canvas);
      if (!context) return;
      if (needsReset) {
        clearBoard(context, BACKGROUND);
        for (const stroke of model.strokes()) drawStroke(context, stroke);
      } else {
        for (const stroke of pendingStrokes) drawStroke(context, stroke);
      }
      needsReset = false;
      pendingStrokes = [];
      canvas.dataset.strokes = String(model.strokes().length);
    }

    function resize(): void {
      if (!canvas) return;
      const ratio = window.devicePixelRatio || 1;
      const width = Math.round(canvas.clientWidth * ratio);
      const height = Math.round(width * (BOARD_HEIGHT / BOARD_WIDTH));
      if (canvas.width === width && canvas.height === height) return;
      canvas.width = width;
      canvas.height = height;
      needsReset = true;
      render();
    }

    function toBoard(event: PointerEvent): [number, number] {
      const rect = canvas!.getBoundingClientRect();
      const x = ((event.clientX - rect.left) / rect.width) * BOARD_WIDTH;
      const y = ((event.clientY - rect.top) / rect.height) * BOARD_HEIGHT;
      return [
        Math.round(Math.min(BOARD_WIDTH, Math.max(0, x))),
        Math.round(Math.min(BOARD_HEIGHT, Math.max(0, y))),
      ];
    }

    function sendSegment(): void {
      if (!drawing || drawing.segment.length === 0) return;
      const stroke: BoardStroke = {
        op: 'stroke',
        points: drawing.segment,
        color: brushRef.current.color,
        size: brushRef.current.size,
      };
      model.commit(stroke);
      drawing.sent += 1;
      // The next segment starts where this one ended, so the line stays continuous.
      drawing.segment = [drawing.last];
      drawing.segmentStarted = performance.now();
    }

    function drawLocal(from: [number, number], to: [number, number]): void {
      const context = canvas && prepareContext(canvas);
      if (!context) return;
      drawStroke(context, { op: 'stroke', points: from === to ? [to] : [from, to], ...brushRef.current });
    }

    function onPointerDown(event: PointerEvent): void {
      if (drawing || (event.pointerType === 'mouse' && event.button !== 0)) return;
      event.preventDefault();
      canvas!.setPointerCapture(event.pointerId);
      const point = toBoard(event);
      drawing = {
        pointerId: event.pointerId,
        last: point,
        segment: [point],
        segmentStarted: performance.now(),
        sent: 0,
      };
      drawLocal(point, point);
    }

    function onPointerMove(event: PointerEvent): void {
      if (!drawing || event.pointerId !== drawing.pointerId) return;
      const events = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
      for (const sample of events.length > 0 ? events : [event]) {
        const point = toBoard(sample);
        if (point[0] === drawing.last[0] && point[1] === drawing.last[1]) continue;
        drawLocal(drawing.last, point);
        drawing.last = point;
        drawing.segment.push(point);
      }
      if (
        drawing.segment.length >= SEGMENT_POINTS ||
        performance.now() - drawing.segmentStarted >= SEGMENT_MS
      ) {
        if (drawing.segment.length > 1) sendSegment();
      }
    }

    function onPointerEnd(event: PointerEvent): void {
      if (!drawing || event.pointerId !== drawing.pointerId) return;
      // What is left after the last segment; a tap (nothing sent, one point) becomes a dot.
      if (drawing.segment.length > 1 || drawing.sent === 0) sendSegment();
      drawing = undefined;
    }

    const stopListening = model.listen((change) => {
      if (change.reset) needsReset = true;
      else pendingStrokes.push(...change.added);
      scheduleRender(render);
    });
    const resizeObserver = new ResizeObserver(resize);
    resizeObserver.observe(canvas);
    canvas.addEventListener('pointerdown', onPointerDown);
    canvas.addEventListener('pointermove', onPointerMove);
    canvas.addEventListener('pointerup', onPointerEnd);
    canvas.addEventListener('pointercancel', onPointerEnd);
    resize();
    return () => {
      stopListening();
      resizeObserver.disconnect();
      canvas.removeEventListener('pointerdown', onPointerDown);
      canvas.removeEventListener('pointermove', onPointerMove);
      canvas.removeEventListener('pointerup', onPointerEnd);
      canvas.removeEventListener('pointercancel', onPointerEnd);
    };
  }, [model]);

  return (
    <canvas
      ref={canvasRef}
      class="board-canvas"
      data-testid="board"
      aria-label="Shared whiteboard: draw with a mouse, pen or finger"
      role="img"
    />
  );
}
