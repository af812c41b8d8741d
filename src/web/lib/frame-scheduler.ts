/**
 * One place where incoming data reaches the screen: stores mark themselves dirty with `scheduleRender`,
 * and every dirty store flushes once per animation frame, inside one signals batch.
 * While the tab is hidden no frame is requested at all; the next visible frame shows the latest state.
 * Work that must see the painted frame (the publish→paint measurement) goes through `afterNextPaint`.
 */
import { batch, signal } from '@preact/signals';

type RenderTask = () => void;

const pendingTasks = new Set<RenderTask>();
const afterPaintCallbacks: Array<() => void> = [];
let frameRequested = false;
let flushing = false;

/** False while the document is hidden: rendering is paused, data keeps buffering. */
export const pageVisible = signal(typeof document === 'undefined' || document.visibilityState !== 'hidden');

/** Flush `task` on the next animation frame (once, however often it is scheduled before then). */
export function scheduleRender(task: RenderTask): void {
  pendingTasks.add(task);
  requestFrame();
}

/** Run `callback` once the next frame has been painted (a task queued from inside the frame). */
export function afterNextPaint(callback: () => void): void {
  afterPaintCallbacks.push(callback);
  if (!flushing) requestFrame();
}

function requestFrame(): void {
  if (frameRequested || !pageVisible.peek()) return;
  frameRequested = true;
  requestAnimationFrame(flushFrame);
}

const paintChannel = typeof MessageChannel === 'undefined' ? undefined : new MessageChannel();
let paintCallbacksInFlight: Array<() => void> = [];
if (paintChannel) paintChannel.port1.onmessage = runAfterPaint;

function runAfterPaint(): void {
  const callbacks = paintCallbacksInFlight;
  paintCallbacksInFlight = [];
  for (const callback of callbacks) callback();
}

function flushFrame(): void {
  frameRequested = false;
  const tasks = [...pendingTasks];
  pendingTasks.clear();
  flushing = true;
  try {
    batch(() => {
      for (const task of tasks) task();
    });
  } finally {
    flushing = false;
  }
  if (afterPaintCallbacks.length > 0) {
    // The message is delivered as a new task, after this frame's style, layout and paint.
    paintCallbacksInFlight.push(...afterPaintCallbacks.splice(0));
    if (paintChannel) paintChannel.port2.postMessage(null);
    else setTimeout(runAfterPaint, 0);
  }
}

function onVisibilityChange(): void {
  pageVisible.value = document.visibilityState !== 'hidden';
  if (pageVisible.peek() && (pendingTasks.size > 0 || afterPaintCallbacks.length > 0)) requestFrame();
}

if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisibilityChange);
