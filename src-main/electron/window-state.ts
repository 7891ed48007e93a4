/** The main window's size and position, remembered in userData/window-state.json. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const StateSchema = z.object({ x: z.int().optional(), y: z.int().optional(), width: z.int().min(400), height: z.int().min(300), maximized: z.boolean().default(false) });
export type WindowState = z.output<typeof StateSchema>;

const DEFAULT: WindowState = { width: 1280, height: 800, maximized: false };

export function loadWindowState(dir: string): WindowState {
  try {
    const parsed = StateSchema.safeParse(JSON.parse(readFileSync(join(dir, 'window-state.json'), 'utf8')));
    return parsed.success ? parsed.data : DEFAULT;
  } catch {
    return DEFAULT; // first start, or an unreadable file: the default size is the right answer
  }
}

export function saveWindowState(dir: string, state: WindowState): void {
  writeFileSync(join(dir, 'window-state.json'), JSON.stringify(state));
}
