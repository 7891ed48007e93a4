/** Electron IPC channel names, derived from the contract (one place; never typed at call sites). */
import type { ApiName } from './contract';

export const EVENT_CHANNEL = 'nnlab:event';

export function channelFor(name: ApiName): string {
  return `nnlab:api:${name}`;
}
