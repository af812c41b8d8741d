/** @jsxImportSource preact */
/**
 * Whiteboard: a shared canvas with colours, brush size and clear-for-everyone, which asks first and
 * can be undone for a few seconds (the strokes are published again, so everyone gets them back).
 */
import { signal } from '@preact/signals';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { normalizeChannelSuffix } from '../lib/channel-names.ts';
import { formatClock } from '../lib/format.ts';
import { BoardCanvas } from './board-canvas.tsx';
import { createBoardChannel, type BoardChannel } from './board-model.ts';
import { dismissUndo, pendingUndo, restoring, UNDO_MS } from './board-undo.ts';
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
  const [confirming, setConfirming] = useState(false);
  const clearedBy = board.clearedBy.value;
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
          onClick={() => setConfirming(true)}
          aria-haspopup="dialog"
          data-testid="board-clear"
        >
          Clear for everyone
        </button>
      </div>
      <div class="board-frame">
        <BoardCanvas model={board} color={brushColor.value} size={brushSize.value} />
        <UndoBar board={board} />
      </div>
      <p class="muted">
        {board.channel} · everyone on this board sees every stroke; people who join later see the whole
        drawing.
        {clearedBy ? (
          <span data-testid="board-cleared-by">
            {' '}
            {clearedBy.name} cleared the board at {formatClock(clearedBy.timestamp)}.
          </span>
        ) : null}
        {board.problem.value ? <span class="error-text"> Not sent: {board.problem.value}</span> : null}
      </p>
      <ConfirmDialog
        open={confirming}
        title="Clear the board for everyone?"
        confirmLabel="Clear board"
        danger
        testId="board-clear-dialog"
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          board.clearForEveryone();
        }}
      >
        <p>
          Everyone on <strong>{board.channel}</strong> loses the whole drawing
          {board.strokeCount.value === 0 ? ' (it is empty now)' : ''}. You can undo this for {UNDO_MS / 1000}{' '}
          seconds.
        </p>
      </ConfirmDialog>
    </section>
  );
}

/** "Board cleared · Undo" over the (now empty) board while undo is offered, then "Restoring…". */
function UndoBar({ board }: { board: BoardChannel }) {
  const pending = pendingUndo.value;
  const progress = restoring.value;
  const undoRef = useRef<HTMLButtonElement>(null);
  const offered = pending !== undefined && pending.channel === board.channel;
  const restoringHere = progress !== undefined && progress.channel === board.channel;
  // The countdown line starts where the offer stands now (also after coming back to the view).
  const elapsedMs = useMemo(() => (pending ? UNDO_MS - (pending.until - Date.now()) : 0), [pending]);
  // Keyboard users land on Undo right after confirming (the dialog's opener has nothing left to do).
  useEffect(() => {
    if (offered) undoRef.current?.focus();
  }, [offered]);
  return (
    <div class="undo-region" role="status">
      {restoringHere ? (
        <div class="undo-bar" data-testid="board-restoring">
          Restoring the board…
          <span aria-hidden="true">
            {progress.sent} / {progress.total}
          </span>
        </div>
      ) : offered ? (
        <div class="undo-bar" data-testid="board-undo-bar">
          <span>Board cleared for everyone</span>
          <button
            ref={undoRef}
            type="button"
            class="button small primary"
            onClick={() => {
              board.undoClear().catch((error: unknown) => console.warn('[board]', error));
            }}
            data-testid="board-undo"
          >
            Undo
          </button>
          <button type="button" class="icon-button" aria-label="Dismiss undo" onClick={dismissUndo}>
            ×
          </button>
          <span
            class="undo-timer"
            aria-hidden="true"
            style={{ animationDuration: `${UNDO_MS}ms`, animationDelay: `${-elapsedMs}ms` }}
          />
        </div>
      ) : null}
    </div>
  );
}
