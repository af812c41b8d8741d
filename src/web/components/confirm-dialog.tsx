/** @jsxImportSource preact */
/**
 * An in-page confirmation: a modal `<dialog>` (focus moves into it and is trapped there, Escape
 * cancels, focus returns to the opener), with the safe choice focused first. Clicking the backdrop
 * cancels too.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  cancelLabel?: string;
  /** Styles the confirm button as destructive. */
  danger?: boolean;
  onConfirm(): void;
  /** Called whenever the dialog closes without confirming (Cancel, Escape, backdrop). */
  onCancel(): void;
  testId?: string;
}

let dialogCount = 0;

export function ConfirmDialog(props: ConfirmDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const idRef = useRef(`confirm-${(dialogCount += 1)}`);
  const id = idRef.current;
  const { open } = props;
  const handlers = useRef(props);
  handlers.current = props;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.returnValue = '';
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  return (
    <dialog
      ref={dialogRef}
      class="confirm-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      data-testid={props.testId}
      onClose={(event) => {
        const confirmed = event.currentTarget.returnValue === 'confirm';
        if (confirmed) handlers.current.onConfirm();
        else handlers.current.onCancel();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog element itself.
        if (event.target === event.currentTarget) event.currentTarget.close('cancel');
      }}
    >
      <form method="dialog" class="confirm-dialog-form">
        <h2 id={`${id}-title`} class="confirm-dialog-title">
          {props.title}
        </h2>
        <div id={`${id}-body`} class="confirm-dialog-body">
          {props.children}
        </div>
        <div class="confirm-dialog-actions">
          <button type="submit" value="cancel" class="button" autoFocus>
            {props.cancelLabel ?? 'Cancel'}
          </button>
          <button
            type="submit"
            value="confirm"
            class={`button ${props.danger ? 'danger-solid' : 'primary'}`}
            data-testid={props.testId ? `${props.testId}-confirm` : undefined}
          >
            {props.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
