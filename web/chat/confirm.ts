/**
 * "Start a new chat?" in the page's own dialog (a modal `<dialog>`: focus stays inside, Escape
 * cancels, focus returns to the ↻ button), never `window.confirm`, and in the page's language.
 * Resolves true when the customer chose to start over.
 */
export function confirmNewChat(dialog: HTMLDialogElement): Promise<boolean> {
  if (dialog.open) return Promise.resolve(false);
  return new Promise((resolve) => {
    dialog.returnValue = '';
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'new'), { once: true });
    dialog.showModal();
  });
}
