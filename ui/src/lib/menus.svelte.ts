// Menus: the one open context menu (right-click on a message or a project card) and the
// dismissal every drop-down shares (Esc, or a press outside it).
import type { IconName } from '../components/Icon.svelte';

export interface MenuItem {
  label: string;
  icon?: IconName;
  danger?: boolean;
  disabled?: boolean;
  /** A stable name for tests and keyboard users (`data-testid="ctx-<id>"`). */
  id: string;
  run: () => void;
}

export interface OpenMenu {
  x: number;
  y: number;
  items: MenuItem[];
  label: string;
}

/** The context menu on screen, if any; `ContextMenu.svelte` (mounted once by App) draws it. */
export const contextMenu = $state<{ open: OpenMenu | null }>({ open: null });

/** Opens the app's context menu at the pointer instead of the webview's own. */
export function openContextMenu(e: MouseEvent, label: string, items: MenuItem[]) {
  e.preventDefault();
  e.stopPropagation();
  contextMenu.open = { x: e.clientX, y: e.clientY, items, label };
}

export function closeContextMenu() {
  contextMenu.open = null;
}

/**
 * An attachment for a drop-down (the menu and the button that opens it, in one wrapper, or the
 * menu alone with its `opener`): `close` runs on Esc and on a press anywhere outside both. Listens in the capture phase, so a
 * handler that stops propagation elsewhere cannot keep a menu open.
 */
export function dismissable(close: () => void, opener?: () => HTMLElement | undefined) {
  return (node: HTMLElement) => {
    // A press on the button that opens the menu is left to that button (it toggles).
    const press = (e: Event) => {
      const t = e.target as Node;
      if (!node.contains(t) && !opener?.()?.contains(t)) close();
    };
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        close();
      }
    };
    document.addEventListener('pointerdown', press, true);
    document.addEventListener('contextmenu', press, true);
    window.addEventListener('keydown', key, true);
    return () => {
      document.removeEventListener('pointerdown', press, true);
      document.removeEventListener('contextmenu', press, true);
      window.removeEventListener('keydown', key, true);
    };
  };
}
