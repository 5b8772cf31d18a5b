/** Fetches `account.summary` for the header; the figures live in this small store. */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { AccountSummaryView } from '../../../../src-main/engine/api/commands';
import { invoke } from '../../api/invoke';

interface AccountState {
  readonly summary?: AccountSummaryView;
  readonly error?: string;
}

export const accountStore = createStore<AccountState>()(() => ({}));
export const useAccount = <T>(pick: (s: AccountState) => T): T => useStore(accountStore, pick);

export async function refreshAccountSummary(): Promise<void> {
  const r = await invoke('account.summary', {});
  if (r.ok) accountStore.setState({ summary: r.value, error: undefined });
  else accountStore.setState({ error: `${r.error.code}: ${r.error.message}` });
}
