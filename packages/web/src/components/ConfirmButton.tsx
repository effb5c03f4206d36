/**
 * A destructive action asks once more in place: the button turns into "Confirm / Cancel" (keyboard
 * focus moves to Cancel, the safe choice), instead of a browser dialog.
 */
import { useEffect, useRef, useState } from 'react';

export function ConfirmButton({
  label,
  confirmLabel,
  question,
  onConfirm,
  disabled,
}: {
  label: string;
  confirmLabel?: string;
  /** What is about to happen, e.g. "Delete user ana?" */
  question: string;
  onConfirm: () => void;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) cancelRef.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button
        type="button"
        className="button button-danger"
        onClick={() => setAsking(true)}
        disabled={disabled}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm">
      <span className="confirm-question" role="status">
        {question}
      </span>
      <button
        type="button"
        className="button button-danger-solid"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel ?? label}
      </button>
      <button type="button" className="button" ref={cancelRef} onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
