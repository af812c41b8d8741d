/** @jsxImportSource preact */
/** Whiteboard: a shared canvas with colours, brush size and clear-for-everyone. */
import { signal } from '@preact/signals';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { normalizeChannelSuffix } from '../lib/channel-names.ts';
import { BoardCanvas } from './board-canvas.tsx';
import { createBoardChannel } from './board-model.ts';
import { MAX_BRUSH, MIN_BRUSH } from './strokes.ts';

const PALETTE = [
  { name: 'Ink', value: '#1f2933' },
  { name: 'Red', value: '#e03131' },
  { name: 'Orange', value: '#f08c00' },
  { name: 'Green', value: '#2f9e44' },
  { name: 'Blue', value: '#1c7ed6' },
  { name: 'Purple', value: '#7048e8' },
];

const boardName = signal('main');
const brushColor = signal(PALETTE[4].value);
const brushSize = signal(6);

export function WhiteboardView() {
  const name = boardName.value;
  const board = useMemo(() => createBoardChannel(name), [name]);
  useEffect(() => {
    board.start();
    return () => board.stop();
  }, [board]);
  const nameRef = useRef<HTMLInputElement>(null);
  return (
    <section class="view whiteboard" aria-labelledby="whiteboard-title">
      <header class="view-header">
        <h2 id="whiteboard-title">Whiteboard</h2>
        <form
          class="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            const next = normalizeChannelSuffix(nameRef.current?.value ?? '');
            if (next) boardName.value = next;
          }}
        >
          <label for="board-name">Board</label>
          <input id="board-name" ref={nameRef} value={name} maxLength={32} />
          <button type="submit" class="button">
            Open
          </button>
        </form>
      </header>
      <div class="toolbar board-tools" role="toolbar" aria-label="Brush">
        <div class="swatches" role="radiogroup" aria-label="Colour">
          {PALETTE.map((swatch) => (
            <button
              key={swatch.value}
              type="button"
              role="radio"
              aria-checked={brushColor.value === swatch.value}
              aria-label={swatch.name}
              class="swatch"
              style={{ background: swatch.value }}
              onClick={() => (brushColor.value = swatch.value)}
            />
          ))}
          <label class="swatch custom" title="Custom colour">
            <span class="visually-hidden">Custom colour</span>
            <input
              type="color"
              value={brushColor.value}
              onInput={(event) => (brushColor.value = event.currentTarget.value)}
            />
          </label>
        </div>
        <label class="brush-size">
          Size
          <input
            type="range"
            min={MIN_BRUSH}
            max={MAX_BRUSH}
            value={brushSize.value}
            onInput={(event) => (brushSize.value = Number(event.currentTarget.value))}
          />
          <span class="brush-preview" aria-hidden="true">
            <span
              style={{
                width: `${brushSize.value}px`,
                height: `${brushSize.value}px`,
                background: brushColor.value,
              }}
            />
          </span>
          <output>{brushSize.value}</output>
        </label>
        <span class="toolbar-gap" />
        <button
          type="button"
          class="button danger"
          onClick={() => board.clearForEveryone()}
          data-testid="board-clear"
        >
          Clear for everyone
        </button>
      </div>
      <div class="board-frame">
        <BoardCanvas model={board} color={brushColor.value} size={brushSize.value} />
      </div>
      <p class="muted">
        {board.channel} · everyone on this board sees every stroke; people who join later see the whole
        drawing.
        {board.problem.value ? <span class="error-text"> Not sent: {board.problem.value}</span> : null}
      </p>
    </section>
  );
}
